#include "targets/local/probe/http_call.h"

#include <algorithm>
#include <cstdlib>

#include "targets/local/probe/socket_util.h"

namespace stampede::local {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Parses the head (status line and headers); false when malformed.
bool parse_head(const std::string& head, HttpCallResult& out) {
  size_t eol = head.find("\r\n");
  std::string status_line = head.substr(0, eol);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return false;
  out.status = std::atoi(status_line.c_str() + 9);
  if (out.status < 100 || out.status > 999) return false;
  size_t pos = eol == std::string::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      out.headers[lower(line.substr(0, colon))] = value;
    }
    pos = end + 2;
  }
  return true;
}

// Decodes a chunked body; false when incomplete.
bool dechunk(const std::string& in, std::string& out) {
  size_t pos = 0;
  for (;;) {
    size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return false;
    size_t size = std::strtoul(in.substr(pos, eol - pos).c_str(), nullptr, 16);
    if (size == 0) return true;
    if (in.size() < eol + 2 + size + 2) return false;
    out.append(in, eol + 2, size);
    pos = eol + 2 + size + 2;
  }
}

bool chunked(const HttpCallResult& r) {
  auto it = r.headers.find("transfer-encoding");
  return it != r.headers.end() && lower(it->second) == "chunked";
}

}  // namespace

Result<HttpCallResult> http_call(const std::string& host, uint16_t port, const std::string& method,
                                 const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& body, std::chrono::milliseconds timeout,
                                 size_t max_body) {
  Deadline deadline = std::chrono::steady_clock::now() + timeout;
  auto fd = connect_before(host, port, deadline);
  if (!fd.ok()) return fd.error();
  std::string request = method + " " + target + " HTTP/1.1\r\n";
  bool has_host = false;
  for (const auto& [k, v] : headers) {
    has_host = has_host || lower(k) == "host";
    request += k + ": " + v + "\r\n";
  }
  if (!has_host) request += "Host: " + host + ":" + std::to_string(port) + "\r\n";
  request += "Connection: close\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  if (auto s = send_all_before(fd.value().get(), request, deadline); !s.ok()) return s.error();

  std::string data;
  HttpCallResult result;
  size_t head_end = std::string::npos;
  for (;;) {
    auto n = read_some_before(fd.value().get(), data, deadline);
    if (!n.ok()) return n.error();
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos && !parse_head(data.substr(0, head_end), result)) {
        return Error("malformed status line from " + host + ":" + std::to_string(port));
      }
    }
    if (head_end != std::string::npos) {
      std::string rest = data.substr(head_end + 4);
      auto cl = result.headers.find("content-length");
      if (method == "HEAD" || result.status == 204 || result.status == 304) break;
      if (cl != result.headers.end() &&
          rest.size() >= std::strtoul(cl->second.c_str(), nullptr, 10)) {
        break;
      }
      if (chunked(result)) {
        std::string decoded;
        if (dechunk(rest, decoded)) break;
      }
      if (rest.size() > max_body) break;
    }
    if (n.value() == 0) {
      if (head_end == std::string::npos) {
        return Error("connection closed before a response from " + host + ":" +
                     std::to_string(port));
      }
      break;
    }
  }
  std::string rest = data.substr(head_end + 4);
  if (chunked(result)) {
    dechunk(rest, result.body);
  } else {
    result.body = rest;
  }
  if (result.body.size() > max_body) result.body.resize(max_body);
  return result;
}

}  // namespace stampede::local
