#include "tests/server/handlers.h"

#include <boost/beast/http/field.hpp>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "tests/server/modifiers.h"

namespace stampede::testserver {
namespace http = boost::beast::http;

namespace {

constexpr unsigned kMaxRedirects = 1000;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// CR, LF and friends would let a decoded parameter inject headers.
bool has_control(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool parse_unsigned(const std::string* text, unsigned fallback, unsigned& out) {
  if (text == nullptr) {
    out = fallback;
    return true;
  }
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, out);
  return !text->empty() && ec == std::errc{} && ptr == end;
}

}  // namespace

Response text_response(http::status status, std::string body) {
  Response response{status, 11};
  response.body() = std::move(body);
  return response;
}

Response json_response(const nlohmann::json& doc) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response echo(const Request& request, std::string_view path, std::string_view query) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& field : request) {
    const std::string name = lowercase(to_std(field.name_string()));
    const std::string value(field.value());
    auto it = headers.find(name);
    if (it == headers.end()) {
      headers[name] = value;
    } else {
      it->get_ref<std::string&>() += ", " + value;
    }
  }
  return json_response({{"method", std::string(request.method_string())},
                        {"path", std::string(path)},
                        {"query", std::string(query)},
                        {"headers", std::move(headers)},
                        {"body", request.body()}});
}

Response fixed_json() {
  // Built once: /json is a benchmark route, so skip the JSON work per request.
  static const std::string kBody =
      nlohmann::json{{"name", "stampede"}, {"items", {1, 2, 3}}, {"nested", {{"ok", true}}}}.dump();
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = kBody;
  return response;
}

Response cookies_set(const QueryParams& params) {
  nlohmann::json set = nlohmann::json::object();
  Response response{http::status::ok, 11};
  for (const auto& [name, value] : params) {
    if (name.empty() || is_modifier_name(name)) continue;
    if (has_control(name) || has_control(value) ||
        name.find_first_of("=;, ") != std::string::npos || value.find(';') != std::string::npos) {
      return text_response(http::status::bad_request, "invalid cookie name or value\n");
    }
    response.insert(http::field::set_cookie, name + "=" + value + "; Path=/");
    set[name] = value;
  }
  response.set(http::field::content_type, "application/json");
  response.body() = set.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response cookies(const Request& request) {
  nlohmann::json jar = nlohmann::json::object();
  const auto [first, last] = request.equal_range(http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view rest = to_std(field->value());
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const auto eq = pair.find('=');
      if (pair.empty() || eq == 0) continue;
      if (eq == std::string_view::npos) {
        jar[std::string(pair)] = "";
      } else {
        jar[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
      }
    }
  }
  return json_response(jar);
}

Response redirect(const QueryParams& params) {
  unsigned code = 0;
  unsigned hops = 0;
  if (!parse_unsigned(find_param(params, "code"), 302, code) ||
      !(code == 301 || code == 302 || code == 303 || code == 307 || code == 308)) {
    return text_response(http::status::bad_request, "code must be 301|302|303|307|308\n");
  }
  if (!parse_unsigned(find_param(params, "n"), 1, hops) || hops < 1 || hops > kMaxRedirects) {
    return text_response(http::status::bad_request, "n must be 1..1000\n");
  }
  const std::string* to_param = find_param(params, "to");
  const std::string to = to_param != nullptr && !to_param->empty() ? *to_param : "/";
  if (has_control(to)) return text_response(http::status::bad_request, "invalid to\n");
  Response response{static_cast<http::status>(code), 11};
  if (hops > 1) {
    response.set(http::field::location, "/redirect?to=" + percent_encode(to) +
                                            "&code=" + std::to_string(code) +
                                            "&n=" + std::to_string(hops - 1));
  } else {
    response.set(http::field::location, to);
  }
  return response;
}

Response stats(const RequestStats::Snapshot& snapshot) {
  nlohmann::json by_path = nlohmann::json::object();
  for (const auto& [path, count] : snapshot.by_path) by_path[path] = count;
  return json_response({{"requests", snapshot.requests}, {"by_path", std::move(by_path)}});
}

}  // namespace stampede::testserver
