#include "targets/local/api/api_request.h"

#include "common/http/url.h"

namespace stampede::local {

namespace bhttp = boost::beast::http;

bool parse_api_request(const http::Request& request, ApiRequest& out, std::string& error) {
  out.method = std::string(http::to_std(request.method_string()));
  std::string target(http::to_std(request.target()));
  size_t q = target.find('?');
  std::string path = target.substr(0, q);
  if (q != std::string::npos) {
    auto query = http::parse_query(target.substr(q + 1));
    if (!query.ok()) {
      error = "query: " + query.error().message();
      return false;
    }
    for (const auto& [k, v] : query.value().entries()) out.query[k] = v;
  }
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) out.path.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  out.body = request.body();
  out.authorization = std::string(http::to_std(request[bhttp::field::authorization]));
  return true;
}

http::Reply json_reply(const http::Request& request, int status, const nlohmann::json& body) {
  // Pods' log lines are raw bytes: invalid UTF-8 becomes U+FFFD instead of failing the answer.
  std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return {http::make_response(request, static_cast<bhttp::status>(status), "application/json",
                              text + "\n")};
}

http::Reply error_reply(const http::Request& request, int status, const std::string& message) {
  return json_reply(request, status, {{"error", message}});
}

bool parse_json_body(const std::string& body, nlohmann::json& out, std::string& error) {
  if (body.empty()) {
    out = nlohmann::json::object();
    return true;
  }
  try {
    out = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    error = std::string("body: not JSON: ") + e.what();
    return false;
  }
  if (!out.is_object()) {
    error = "body: expected a JSON object";
    return false;
  }
  return true;
}

bool token_matches(const std::string& authorization, const std::string& token) {
  const std::string expected = "Bearer " + token;
  unsigned diff = authorization.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    diff |= static_cast<unsigned>(expected[i] ^ (i < authorization.size() ? authorization[i] : 0));
  }
  return diff == 0 && !token.empty();
}

}  // namespace stampede::local
