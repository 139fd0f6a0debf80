#include "engine/http/http1_target.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace stampede {
namespace {

constexpr std::string_view kLocalhost = "localhost";
constexpr size_t kMaxHostLiteral = 45;  // the longest IPv6 text form

// Bytes parse_url() would percent-encode, plus what ends or precedes a path in an odd way.
bool plain_target_char(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::strchr("\"<>\\^`{|}#", c) == nullptr;
}

bool lower_host_char(char c, bool v6) {
  if ((c >= '0' && c <= '9') || c == '.') return true;
  if (v6) return c == ':' || (c >= 'a' && c <= 'f');
  return (c >= 'a' && c <= 'z') || c == '-';
}

// Fills the address for an IP literal or "localhost"; false for anything else.
bool host_address(std::string_view host, uint16_t port, Http1Target* out) {
  if (host == kLocalhost) host = "127.0.0.1";
  if (host.empty() || host.size() > kMaxHostLiteral) return false;
  char text[kMaxHostLiteral + 1];
  std::memcpy(text, host.data(), host.size());
  text[host.size()] = '\0';
  out->address = sockaddr_storage{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out->address);
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out->address_len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out->address);
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out->address_len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// Url::authority() without allocating: brackets for IPv6, the port unless it is 80.
void write_host_header(std::string_view host, uint16_t port, Http1Target* out) {
  char* p = out->host_header;
  bool v6 = host.find(':') != std::string_view::npos;
  if (v6) *p++ = '[';
  std::memcpy(p, host.data(), host.size());
  p += host.size();
  if (v6) *p++ = ']';
  if (port != 80) {
    *p++ = ':';
    p = std::to_chars(p, out->host_header + sizeof(out->host_header), port).ptr;
  }
  out->host_header_len = static_cast<size_t>(p - out->host_header);
}

// Splits "http://host[:port]/path?query" when it is already in parse_url()'s normal form
// (lowercase, explicit path, nothing to encode, no dot segments); false means "ask parse_url".
bool split_normalized(std::string_view url, std::string_view* host, uint16_t* port,
                      std::string_view* target) {
  if (!url.starts_with("http://")) return false;
  url.remove_prefix(7);
  size_t slash = url.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view authority = url.substr(0, slash);
  *target = url.substr(slash);
  std::string_view port_text;
  bool v6 = !authority.empty() && authority[0] == '[';
  if (v6) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    *host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return false;
    if (!after.empty()) port_text = after.substr(1);
    if (after == ":") return false;
  } else {
    size_t colon = authority.find(':');
    *host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return false;
    }
  }
  if (host->empty()) return false;
  for (char c : *host) {
    if (!lower_host_char(c, v6)) return false;
  }
  *port = 80;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return false;
    }
    *port = static_cast<uint16_t>(value);
  }
  for (char c : *target) {
    if (!plain_target_char(static_cast<unsigned char>(c))) return false;
  }
  if (target->back() == '?') return false;  // parse_url() drops an empty query
  return target->find("/.") == std::string_view::npos;
}

Error unsupported(std::string_view url) {
  return Error("URL '" + std::string(url.substr(0, 200)) +
               "' is not supported by the native HTTP/1.1 transport (http:// with an IP "
               "address or localhost only)");
}

}  // namespace

bool http1_supports(const Url& url) {
  if (url.scheme != "http") return false;
  Http1Target probe;
  return host_address(url.host, url.port, &probe);
}

Status resolve_http1_target(std::string_view url, std::string* scratch, Http1Target* out) {
  std::string_view host;
  uint16_t port = 80;
  if (split_normalized(url, &host, &port, &out->target)) {
    if (!host_address(host, port, out)) return unsupported(url);
    write_host_header(host, port, out);
    return Status::Ok();
  }
  Result<Url> parsed = parse_url(url);
  if (!parsed.ok()) return parsed.error();
  const Url& u = parsed.value();
  if (!http1_supports(u)) return unsupported(url);
  host_address(u.host, u.port, out);
  write_host_header(u.host, u.port, out);
  scratch->assign(u.path);
  if (!u.query.empty()) {
    scratch->push_back('?');
    scratch->append(u.query);
  }
  out->target = *scratch;
  return Status::Ok();
}

}  // namespace stampede
