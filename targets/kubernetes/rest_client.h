// RestClient: verbs on API paths over one keep-alive libcurl handle — client-go's RESTClient.
// Every call has a timeout; 429 and 500/502/503/504 answers and connection failures are retried
// with exponential backoff and jitter (honouring Retry-After and Status
// details.retryAfterSeconds), boundedly, for the verbs where repeating is safe (see
// retryable() in rest_client.cc); a 401 makes the Credentials re-read their token or re-run the
// plugin and the call is tried once more. Answers outside 2xx come back as ApiError values with
// the server's Status. Used by one thread at a time (calls block, sleeping between retries).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/kubernetes/api_error.h"
#include "targets/kubernetes/credentials.h"
#include "targets/kubernetes/curl_handle.h"
#include "targets/kubernetes/request_info.h"
#include "targets/kubernetes/transport.h"

namespace stampede::kube {

// Request body types the API server accepts.
inline constexpr const char* kJsonContent = "application/json";
inline constexpr const char* kMergePatch = "application/merge-patch+json";
inline constexpr const char* kStrategicMergePatch = "application/strategic-merge-patch+json";
inline constexpr const char* kJsonPatch = "application/json-patch+json";

struct RestRequest {
  RestRequest() = default;
  RestRequest(std::string method, std::string path, Query query = {})
      : method(std::move(method)), path(std::move(path)), query(std::move(query)) {}

  std::string method = "GET";
  std::string path;  // "/api/v1/namespaces/default/pods/x"
  Query query;
  std::string body;          // "" for none
  std::string content_type;  // "" = application/json when there is a body
  std::string accept = "application/json";
  // More headers for the server (or, through pods/proxy, for the pod): name, value. Not for
  // Authorization, which the Credentials set.
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{0};  // per attempt; 0 = RestClientOptions::timeout
  int max_attempts = 0;                  // 0 = RestClientOptions::max_attempts
  // Through a proxy subresource to a pod (pods/NAME:PORT/proxy/...): a 401 or 403 the pod sends
  // is about the pod's own credentials, not ours (no refresh), and an answer that is not a
  // Status is reported as the pod's.
  bool proxied = false;
};

struct RestResponse {
  int code = 0;
  std::string body;
  std::string content_type;
  std::vector<std::string> warnings;  // Warning headers (deprecated APIs and the like)
  int attempts = 1;                   // tries it took, the 401 refresh included

  // The body as JSON (null when empty). Errors: the body is not JSON.
  Result<nlohmann::json> json() const;
};

struct RestClientOptions {
  std::chrono::milliseconds timeout{30000};  // one attempt, connect to last byte
  std::chrono::milliseconds connect_timeout{10000};
  int max_attempts = 5;  // for retried failures (the 401 refresh comes on top)
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
  // No retry starts, and no wait lasts, past this long after the call began.
  std::chrono::milliseconds total_timeout{90000};
  std::string user_agent = "stampede";
  std::string forbidden_hint = ErrorContext{}.forbidden_hint;
  size_t max_body = 64 << 20;  // a larger answer fails the call
};

class RestClient {
 public:
  // Errors: the server URL does not parse, curl cannot be initialised.
  static Result<std::unique_ptr<RestClient>> create(std::shared_ptr<Credentials> credentials,
                                                    RestClientOptions options = {});
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  // Sends `request` (with retries). 2xx: the response; otherwise an ApiError with the code
  // (0 when no answer came: connection, TLS, timeout, credentials) and the server's Status.
  ApiResult<RestResponse> call(const RestRequest& request);

  // JSON conveniences over call(); the value is the parsed body (null when empty).
  ApiResult<nlohmann::json> get(const std::string& path, const Query& query = {});
  ApiResult<nlohmann::json> create(const std::string& path, const nlohmann::json& object);
  ApiResult<nlohmann::json> replace(const std::string& path, const nlohmann::json& object);
  // `content_type`: kMergePatch, kStrategicMergePatch or kJsonPatch.
  ApiResult<nlohmann::json> patch(const std::string& path, const nlohmann::json& patch,
                                  const std::string& content_type = kMergePatch);
  // DELETE, with DeleteOptions as the body when `options` is not null
  // ({"gracePeriodSeconds":0}).
  ApiResult<nlohmann::json> remove(const std::string& path,
                                   const nlohmann::json& options = nullptr);

  const Credentials& credentials() const { return *credentials_; }
  const Transport& transport() const { return transport_; }

 private:
  RestClient(std::shared_ptr<Credentials> credentials, Transport transport, CurlEasy easy,
             RestClientOptions options);
  ApiResult<nlohmann::json> json_call(const RestRequest& request);

  std::shared_ptr<Credentials> credentials_;
  Transport transport_;
  CurlEasy easy_;
  RestClientOptions options_;
  uint64_t cert_generation_ = 0;  // the client certificate the open connection was made with
};

// Whether `request` may be sent again after `code` (an HTTP status, or 0 with `curl_code` set
// when no answer came). Exposed for tests.
bool retryable(const RestRequest& request, int code, CURLcode curl_code);

}  // namespace stampede::kube
