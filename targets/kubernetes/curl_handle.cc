#include "targets/kubernetes/curl_handle.h"

#include <mutex>

namespace stampede::kube {
namespace {

CURLcode global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

}  // namespace

Result<CurlEasy> make_curl_easy() {
  CURLcode init = global_init();
  if (init != CURLE_OK) return Error(std::string("curl_global_init: ") + curl_easy_strerror(init));
  CurlEasy easy(curl_easy_init());
  if (!easy) return Error("curl_easy_init failed");
  return easy;
}

Result<CurlMulti> make_curl_multi() {
  CURLcode init = global_init();
  if (init != CURLE_OK) return Error(std::string("curl_global_init: ") + curl_easy_strerror(init));
  CurlMulti multi(curl_multi_init());
  if (!multi) return Error("curl_multi_init failed");
  return multi;
}

}  // namespace stampede::kube
