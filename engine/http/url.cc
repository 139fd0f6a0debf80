#include "engine/http/url.h"

#include <charconv>

namespace stampede {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr size_t kMaxQuotedUrl = 200;

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

// Quotes at most kMaxQuotedUrl bytes of the URL, control characters as \xNN, so the message
// stays one line.
Error invalid(std::string_view text, std::string_view reason) {
  std::string quoted;
  for (unsigned char c : text.substr(0, kMaxQuotedUrl)) {
    if (is_control(c)) {
      quoted += "\\x";
      quoted += kHex[c >> 4];
      quoted += kHex[c & 0xf];
    } else {
      quoted += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxQuotedUrl) quoted += "...";
  return Error("invalid URL '" + quoted + "': " + std::string(reason));
}

// Length of a leading "scheme:" (scheme = ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")), excluding
// the ':'; 0 when `text` does not start with one.
size_t scheme_length(std::string_view text) {
  if (text.empty() || !is_alpha(text[0])) return 0;
  size_t i = 1;
  while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) || text[i] == '+' ||
                             text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  return (i < text.size() && text[i] == ':') ? i : 0;
}

// Bytes that may not appear raw in a request target; a space is encoded rather than rejected
// because scripts commonly build "?q=red shoes" by concatenation.
bool needs_percent_encoding(unsigned char c) {
  if (c >= 0x80) return true;
  switch (c) {
    case ' ':
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
      return true;
    default:
      return false;
  }
}

void append_encoded(std::string& out, std::string_view part) {
  for (unsigned char c : part) {
    if (needs_percent_encoding(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
}

Result<uint16_t> parse_port(std::string_view text, std::string_view port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535 ||
      !is_digit(port[0])) {
    return invalid(text, "invalid port '" + std::string(port) + "'");
  }
  return static_cast<uint16_t>(value);
}

// Splits "host[:port]" or "[v6][:port]" into url->host and url->port.
Status parse_authority(std::string_view text, std::string_view authority, Url* url) {
  if (authority.find('@') != std::string_view::npos) {
    return invalid(text, "userinfo is not supported (send credentials in an Authorization header)");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid(text, "unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return invalid(text, "invalid character after ']'");
    if (!rest.empty()) port = rest.substr(1);
    bool has_colon = host.find(':') != std::string_view::npos;
    for (char c : host) {
      if (!is_hex(c) && c != ':' && c != '.') has_colon = false;
    }
    if (!has_colon) return invalid(text, "invalid IPv6 literal");
  } else {
    size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    for (char c : host) {
      if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '.' && c != '_' && c != '~') {
        return invalid(text, "invalid character in host");
      }
    }
  }
  if (host.empty()) return invalid(text, "missing host");
  url->host.resize(host.size());
  for (size_t i = 0; i < host.size(); ++i) url->host[i] = to_lower(host[i]);
  url->port = url->secure() ? 443 : 80;
  if (!port.empty()) {
    Result<uint16_t> parsed = parse_port(text, port);
    if (!parsed.ok()) return parsed.error();
    url->port = parsed.value();
  }
  return Status::Ok();
}

}  // namespace

bool Url::host_is_ip() const {
  if (host.find(':') != std::string::npos) return true;
  if (host.empty() || !is_digit(host.back())) return false;
  for (char c : host) {
    if (!is_digit(c) && c != '.') return false;
  }
  return true;
}

std::string Url::authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (secure() ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

std::string Url::target() const {
  return query.empty() ? path : path + "?" + query;
}

std::string Url::to_string() const {
  return scheme + "://" + authority() + target();
}

Result<Url> parse_url(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_control(static_cast<unsigned char>(text[i]))) {
      return invalid(text, "control character at byte " + std::to_string(i));
    }
  }
  size_t scheme_len = scheme_length(text);
  if (scheme_len == 0) return invalid(text, "missing scheme");
  Url url;
  url.scheme.resize(scheme_len);
  for (size_t i = 0; i < scheme_len; ++i) url.scheme[i] = to_lower(text[i]);
  if (url.scheme != "http" && url.scheme != "https") {
    return invalid(text, "unsupported scheme '" + url.scheme + "' (want http or https)");
  }
  std::string_view rest = text.substr(scheme_len + 1);
  if (rest.substr(0, 2) != "//") return invalid(text, "missing '//' after scheme");
  rest.remove_prefix(2);

  size_t authority_end = rest.find_first_of("/?#");
  Status status = parse_authority(text, rest.substr(0, authority_end), &url);
  if (!status.ok()) return status.error();
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  rest = rest.substr(0, rest.find('#'));
  size_t query_start = rest.find('?');
  std::string_view path = rest.substr(0, query_start);
  if (path.empty()) {
    url.path = "/";
  } else {
    append_encoded(url.path, path);
    url.path = remove_dot_segments(url.path);
  }
  if (query_start != std::string_view::npos)
    append_encoded(url.query, rest.substr(query_start + 1));
  return url;
}

std::string remove_dot_segments(std::string_view input) {
  if (input.find("/.") == std::string_view::npos && (input.empty() || input[0] != '.')) {
    return std::string(input);
  }
  std::string output;
  auto drop_last_segment = [&output] {
    size_t slash = output.rfind('/');
    output.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./")) {
      input.remove_prefix(2);
    } else if (input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = input.substr(0, 1);
    } else if (input.starts_with("/../")) {
      input.remove_prefix(3);
      drop_last_segment();
    } else if (input == "/..") {
      input = input.substr(0, 1);
      drop_last_segment();
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      size_t next = input.find('/', 1);
      if (next == std::string_view::npos) next = input.size();
      output.append(input.substr(0, next));
      input.remove_prefix(next);
    }
  }
  return output;
}

Result<std::string> resolve_reference(const Url& base, std::string_view location) {
  location = location.substr(0, location.find('#'));
  std::string absolute;
  if (scheme_length(location) > 0) {
    absolute = location;
  } else if (location.starts_with("//")) {
    absolute = base.scheme + ":" + std::string(location);
  } else {
    absolute = base.scheme + "://" + base.authority();
    if (location.empty()) {
      absolute += base.target();
    } else if (location[0] == '/') {
      absolute += location;
    } else if (location[0] == '?') {
      absolute += base.path;
      absolute += location;
    } else {
      // Merge: everything in the base path up to and including its last '/'.
      absolute.append(base.path, 0, base.path.rfind('/') + 1);
      absolute += location;
    }
  }
  Result<Url> url = parse_url(absolute);
  if (!url.ok()) return url.error();
  return url.value().to_string();
}

std::string url_encode(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (unsigned char c : component) {
    if (is_alpha(static_cast<char>(c)) || is_digit(static_cast<char>(c)) || c == '*' || c == '-' ||
        c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(name);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

}  // namespace stampede
