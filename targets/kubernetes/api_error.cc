#include "targets/kubernetes/api_error.h"

#include <cctype>

namespace stampede::kube {
namespace {

// A body that is not a Status (a proxy's HTML page, say), reduced to one short line.
std::string one_line(const std::string& body, size_t max = 200) {
  std::string out;
  bool space = false;
  for (char c : body) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= max) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace

std::string ApiError::reason() const {
  if (status_ && !status_->reason.empty()) return status_->reason;
  return code_ == 0 ? "" : reason_for_code(code_);
}

std::string rbac_explanation(const RequestInfo& request, const std::string& credentials) {
  std::string who =
      credentials.empty() ? "the credentials" : "the credentials (" + credentials + ")";
  if (!request.is_resource_request) {
    return who + " may not \"" + request.verb + "\" the path \"" + request.path + "\"";
  }
  std::string resource = request.ref.resource;
  if (!request.ref.subresource.empty()) resource += "/" + request.ref.subresource;
  std::string text = who + " may not \"" + request.verb + "\" \"" + resource + "\"";
  if (!request.ref.group.empty()) text += " in API group \"" + request.ref.group + "\"";
  if (!request.ref.namespace_name.empty()) {
    text += " in namespace \"" + request.ref.namespace_name + "\"";
  } else {
    text += " at the cluster scope";
  }
  return text;
}

ApiError error_from_response(const RequestInfo& request, int code, const std::string& body,
                             const ErrorContext& context) {
  std::optional<ApiStatus> status = parse_status(body);
  if (status && status->code == 0) status->code = code;
  std::string reason = status && !status->reason.empty() ? status->reason : reason_for_code(code);
  std::string api_message = status ? status->message : one_line(body);
  std::string text = request.describe() + ": ";
  if (code == 403) {
    text += "forbidden (403): " + rbac_explanation(request, context.credentials);
    if (!context.forbidden_hint.empty()) text += " — " + context.forbidden_hint;
    if (!api_message.empty()) text += " (the API server said: " + api_message + ")";
  } else if (code == 401) {
    text += "unauthorized (401): the API server rejected the credentials";
    if (!context.credentials.empty()) text += " (" + context.credentials + ")";
    text += "; they may have expired or belong to another cluster";
    if (!api_message.empty() && api_message != "Unauthorized") text += ": " + api_message;
  } else {
    if (api_message.empty()) api_message = "HTTP " + std::to_string(code);
    text += api_message + " (" + reason + ", " + std::to_string(code) + ")";
    if (status && status->retry_after_seconds > 0) {
      text += ", retry after " + std::to_string(status->retry_after_seconds) + "s";
    }
  }
  return ApiError(code, std::move(status), request, Error(text));
}

ApiError no_answer_error(const RequestInfo& request, const std::string& what) {
  return ApiError(0, std::nullopt, request, Error(request.describe() + ": " + what));
}

}  // namespace stampede::kube
