#include "engine/http/http1_request.h"

#include <charconv>

namespace stampede {
namespace {

bool iprefix(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

// The header's name when it is exactly `lower_name` followed by ':' or ';'.
bool has_name(std::string_view header, std::string_view lower_name) {
  return iprefix(header, lower_name) && header.size() > lower_name.size() &&
         (header[lower_name.size()] == ':' || header[lower_name.size()] == ';');
}

bool contains_close(std::string_view value) {
  for (size_t i = 0; i + 5 <= value.size(); ++i) {
    if (iprefix(value.substr(i), "close")) return true;
  }
  return false;
}

struct Overrides {
  bool host = false, user_agent = false, accept = false;
  bool content_length = false, content_type = false, close = false;
};

Overrides scan(const std::vector<std::string>& headers) {
  Overrides o;
  for (const std::string& h : headers) {
    o.host |= has_name(h, "host");
    o.user_agent |= has_name(h, "user-agent");
    o.accept |= has_name(h, "accept");
    o.content_length |= has_name(h, "content-length");
    o.content_type |= has_name(h, "content-type");
    if (has_name(h, "connection") && contains_close(h)) o.close = true;
  }
  return o;
}

void append_line(std::string* out, std::string_view name, std::string_view value) {
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

// libcurl's custom-header rules: "Name: value" as is, "Name:" (empty value) not sent,
// "Name;" sent as "Name:".
void append_custom(std::string* out, std::string_view header) {
  size_t colon = header.find(':');
  if (colon != std::string_view::npos) {
    size_t v = header.find_first_not_of(" \t", colon + 1);
    if (v == std::string_view::npos) return;
    out->append(header);
    out->append("\r\n");
    return;
  }
  size_t semi = header.find(';');
  if (semi == std::string_view::npos) return;
  if (header.find_first_not_of(" \t", semi + 1) != std::string_view::npos) return;
  out->append(header.substr(0, semi));
  out->append(":\r\n");
}

}  // namespace

Http1RequestHead write_http1_request_head(const HttpRequest& request, std::string_view target,
                                          std::string_view host, std::string_view user_agent,
                                          std::string* out) {
  Overrides o = scan(request.headers);
  out->clear();
  out->append(request.method);
  out->push_back(' ');
  out->append(target);
  out->append(" HTTP/1.1\r\n");
  if (!o.host) append_line(out, "Host", host);
  if (!o.user_agent && !user_agent.empty()) append_line(out, "User-Agent", user_agent);
  if (!o.accept) out->append("Accept: */*\r\n");
  if (!request.cookie.empty()) append_line(out, "Cookie", request.cookie);
  for (const std::string& h : request.headers) append_custom(out, h);
  bool is_head = request.method == "HEAD";
  // As CurlTransport sets CURLOPT_POSTFIELDS: for POST, or a body with any method but GET/HEAD.
  bool with_body =
      !is_head && request.method != "GET" && (request.method == "POST" || !request.body.empty());
  if (with_body) {
    if (!o.content_length) {
      char digits[24];
      auto end = std::to_chars(digits, digits + sizeof(digits), request.body.size()).ptr;
      append_line(out, "Content-Length", std::string_view(digits, end - digits));
    }
    if (!o.content_type) out->append("Content-Type: application/x-www-form-urlencoded\r\n");
  }
  out->append("\r\n");
  return Http1RequestHead{is_head, with_body && !request.body.empty(), o.close};
}

}  // namespace stampede
