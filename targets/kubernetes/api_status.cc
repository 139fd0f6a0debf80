#include "targets/kubernetes/api_status.h"

#include "targets/kubernetes/kube_json.h"

namespace stampede::kube {

std::string reason_for_code(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return code >= 200 && code < 300 ? "" : "Unknown";
  }
}

nlohmann::json status_json(const ApiStatus& s) {
  bool success = s.code >= 200 && s.code < 300;
  nlohmann::json j = {{"kind", "Status"},
                      {"apiVersion", "v1"},
                      {"metadata", nlohmann::json::object()},
                      {"status", success ? "Success" : "Failure"},
                      {"code", s.code}};
  if (!s.message.empty()) j["message"] = s.message;
  if (!s.reason.empty()) j["reason"] = s.reason;
  nlohmann::json details = nlohmann::json::object();
  if (!s.name.empty()) details["name"] = s.name;
  if (!s.group.empty()) details["group"] = s.group;
  if (!s.kind.empty()) details["kind"] = s.kind;
  if (s.retry_after_seconds > 0) details["retryAfterSeconds"] = s.retry_after_seconds;
  if (!s.causes.empty()) {
    nlohmann::json causes = nlohmann::json::array();
    for (const StatusCause& c : s.causes) {
      nlohmann::json cj = nlohmann::json::object();
      if (!c.reason.empty()) cj["reason"] = c.reason;
      if (!c.message.empty()) cj["message"] = c.message;
      if (!c.field.empty()) cj["field"] = c.field;
      causes.push_back(cj);
    }
    details["causes"] = causes;
  }
  if (!details.empty()) j["details"] = details;
  return j;
}

nlohmann::json status_json(int code, const std::string& message) {
  ApiStatus s;
  s.code = code;
  s.reason = reason_for_code(code);
  s.message = message;
  return status_json(s);
}

std::optional<ApiStatus> parse_status(const nlohmann::json& j) {
  if (!j.is_object() || kube_json::str(j, "kind") != "Status") return std::nullopt;
  ApiStatus s;
  auto str = [](const nlohmann::json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto code = j.find("code");
  s.code = code != j.end() && code->is_number_integer() ? code->get<int>() : 0;
  s.reason = str(j, "reason");
  s.message = str(j, "message");
  auto details = j.find("details");
  if (details != j.end() && details->is_object()) {
    s.name = str(*details, "name");
    s.group = str(*details, "group");
    s.kind = str(*details, "kind");
    auto retry = details->find("retryAfterSeconds");
    if (retry != details->end() && retry->is_number_integer()) {
      s.retry_after_seconds = retry->get<int>();
    }
    auto causes = details->find("causes");
    if (causes != details->end() && causes->is_array()) {
      for (const auto& c : *causes) {
        if (!c.is_object()) continue;
        s.causes.push_back({str(c, "reason"), str(c, "message"), str(c, "field")});
      }
    }
  }
  return s;
}

std::optional<ApiStatus> parse_status(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return parse_status(j);
}

}  // namespace stampede::kube
