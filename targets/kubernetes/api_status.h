// ApiStatus: Kubernetes' `Status` object (meta/v1), the shape every API error takes —
// {"kind":"Status","apiVersion":"v1","status":"Failure","message","reason","code","details"}.
// The local runtime's API server builds them; the client reads them back into errors.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stampede::kube {

struct StatusCause {
  std::string reason;  // FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, ...
  std::string message;
  std::string field;  // "spec.replicas"
};

struct ApiStatus {
  int code = 500;
  std::string reason;   // NotFound, Conflict, Invalid, Forbidden, ... ("" for Success)
  std::string message;  // `pods "x" not found`
  // details: the object the status is about.
  std::string name;
  std::string group;  // "" for the core group
  std::string kind;   // the resource: "pods", "deployments"
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;  // details.retryAfterSeconds; 0: none
};

// Kubernetes' reason for an HTTP status, as the API server uses it: 400 BadRequest,
// 401 Unauthorized, 403 Forbidden, 404 NotFound, 405 MethodNotAllowed, 406 NotAcceptable,
// 409 Conflict, 410 Expired, 415 UnsupportedMediaType, 422 Invalid, 429 TooManyRequests,
// 500 InternalError, 503 ServiceUnavailable, 504 Timeout; "" for 2xx.
std::string reason_for_code(int code);

// The Status object for `status` (a Failure, or Success for 2xx codes).
nlohmann::json status_json(const ApiStatus& status);
// A Status for the common case: code, message, and the reason for the code.
nlohmann::json status_json(int code, const std::string& message);

// Reads a Status object from a response body; nullopt when the body is not one.
std::optional<ApiStatus> parse_status(const std::string& body);
std::optional<ApiStatus> parse_status(const nlohmann::json& object);

}  // namespace stampede::kube
