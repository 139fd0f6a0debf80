// ApiClient: a small blocking HTTP client on one libcurl easy handle, for control APIs (the
// local runtime's, a pod's /metrics). One request at a time; the connection is kept alive
// between calls. Not thread-safe: owned by whoever drives the Platform (never a worker thread).
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"

namespace stampede {

struct ApiResponse {
  long status = 0;
  std::string body;
};

class ApiClient {
 public:
  // `bearer_token` is sent as "Authorization: Bearer ..." when not empty.
  ApiClient(std::string bearer_token, std::chrono::milliseconds timeout);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Sends `method url` with an optional JSON body. Any HTTP status is a response; errors are
  // transport failures ("GET http://...: Couldn't connect to server").
  Result<ApiResponse> request(const std::string& method, const std::string& url,
                              const std::string& json_body = "");

 private:
  struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
  };
  std::unique_ptr<CURL, EasyDeleter> easy_;
  std::string token_;
  std::chrono::milliseconds timeout_;
};

}  // namespace stampede
