#include "engine/platform/api_client.h"

namespace stampede {
namespace {

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

}  // namespace

ApiClient::ApiClient(std::string bearer_token, std::chrono::milliseconds timeout)
    : easy_(curl_easy_init()), token_(std::move(bearer_token)), timeout_(timeout) {}

ApiClient::~ApiClient() = default;

Result<ApiResponse> ApiClient::request(const std::string& method, const std::string& url,
                                       const std::string& json_body) {
  std::string where = method + " " + url;
  CURL* e = easy_.get();
  if (e == nullptr) return Error(where + ": libcurl could not create a handle");
  curl_easy_reset(e);
  ApiResponse response;
  HeaderList headers;
  if (!token_.empty()) headers.add("Authorization: Bearer " + token_);
  if (!json_body.empty()) headers.add("Content-Type: application/json");
  headers.add("Expect:");
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "GET") curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  if (!json_body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, json_body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(json_body.size()));
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_NOPROXY, "*");  // the API is on loopback; never via a proxy
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(e);
  if (rc != CURLE_OK) return Error(where + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace stampede
