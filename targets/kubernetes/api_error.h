// ApiError: a failed API call as a value — the HTTP code (0 when no answer came), the Status the
// server sent, what was asked (RequestInfo) and a one-line message built from all three:
//   delete pods "frontend-1" in namespace default: pods "frontend-1" not found (NotFound, 404)
// ApiResult<T> is a T or an ApiError, like Result<T> (common/result.h) but keeping the code so
// callers can treat 404 as "already gone". Plain values.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/result.h"
#include "targets/kubernetes/api_status.h"
#include "targets/kubernetes/request_info.h"

namespace stampede::kube {

class ApiError {
 public:
  ApiError(int code, std::optional<ApiStatus> status, RequestInfo request, Error error)
      : code_(code),
        status_(std::move(status)),
        request_(std::move(request)),
        error_(std::move(error)) {}

  // The HTTP status; 0 when the server never answered (connection, TLS, timeout, credentials).
  int code() const { return code_; }
  // The Status object the server sent with the error, if it sent one.
  const std::optional<ApiStatus>& status() const { return status_; }
  // The Status' reason, else Kubernetes' reason for the code ("NotFound"); "" when code is 0.
  std::string reason() const;
  const RequestInfo& request() const { return request_; }
  const Error& error() const { return error_; }
  const std::string& message() const { return error_.message(); }

  bool is_not_found() const { return code_ == 404; }
  bool is_conflict() const { return code_ == 409; }
  bool is_forbidden() const { return code_ == 403; }
  bool is_unauthorized() const { return code_ == 401; }
  bool is_gone() const { return code_ == 410; }  // Expired / Gone: re-list
  bool is_invalid() const { return code_ == 422; }
  bool no_answer() const { return code_ == 0; }

 private:
  int code_;
  std::optional<ApiStatus> status_;
  RequestInfo request_;
  Error error_;
};

template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const ApiError& api_error() const { return std::get<1>(v_); }
  const Error& error() const { return api_error().error(); }
  // The HTTP code of the failure (0 when none came); 0 for a success too.
  int code() const { return ok() ? 0 : api_error().code(); }
  // As a plain Result, for callers that only need the message.
  Result<T> to_result() const& {
    if (ok()) return value();
    return error();
  }

 private:
  std::variant<T, ApiError> v_;
};

// What error messages may say about the caller.
struct ErrorContext {
  std::string credentials;  // RestConfig::source: "kubeconfig /x, context kind"
  std::string server;       // "https://127.0.0.1:6443"
  // Appended to the RBAC explanation of a 403.
  std::string forbidden_hint =
      "grant it in the runner's Role (stampede rbac SCRIPT prints the rules)";
};

// The error for an HTTP answer outside 2xx, built from its Status body when it has one.
ApiError error_from_response(const RequestInfo& request, int code, const std::string& body,
                             const ErrorContext& context);
// The error for a call that got no HTTP answer (`what`: curl's or the credential's message).
ApiError no_answer_error(const RequestInfo& request, const std::string& what);

// The RBAC sentence for a 403: `the credentials (kubeconfig /x, context kind) may not "delete"
// "pods" in namespace "default"`.
std::string rbac_explanation(const RequestInfo& request, const std::string& credentials);

}  // namespace stampede::kube
