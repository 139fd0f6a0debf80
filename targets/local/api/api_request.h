// Small pieces of the control API's HTTP handling: the parsed request, JSON replies and the
// errors of docs/local-runtime-api.md. Stateless helpers; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/http/server.h"

namespace stampede::local {

struct ApiRequest {
  std::string method;
  std::vector<std::string> path;  // "/v1/pods/x/kill" -> {"v1", "pods", "x", "kill"}
  std::map<std::string, std::string> query;
  std::string body;
  std::string authorization;
};

// Splits the target; false (and `error`) on a malformed query string.
bool parse_api_request(const http::Request& request, ApiRequest& out, std::string& error);

http::Reply json_reply(const http::Request& request, int status, const nlohmann::json& body);
// {"error": message} with `status`.
http::Reply error_reply(const http::Request& request, int status, const std::string& message);

// Parses a JSON object body ("" is an empty object). Errors: "body: not JSON: ...",
// "body: expected a JSON object".
bool parse_json_body(const std::string& body, nlohmann::json& out, std::string& error);

// Constant-time comparison of "Bearer <token>" with the header.
bool token_matches(const std::string& authorization, const std::string& token);

}  // namespace stampede::local
