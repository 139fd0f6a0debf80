// RAII owners for libcurl handles (easy, multi, string lists). make_curl_easy()/make_curl_multi()
// run curl_global_init once, thread-safely, before the first handle. Each handle belongs to one
// thread at a time; the types are move-only.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace stampede::kube {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlMultiDeleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;

// A curl_slist (request headers, CURLOPT_CONNECT_TO entries) freed on destruction.
class CurlSlist {
 public:
  CurlSlist() = default;
  CurlSlist(const CurlSlist&) = delete;
  CurlSlist& operator=(const CurlSlist&) = delete;
  CurlSlist(CurlSlist&& other) noexcept : list_(other.list_) { other.list_ = nullptr; }
  CurlSlist& operator=(CurlSlist&& other) noexcept {
    if (this != &other) {
      clear();
      list_ = other.list_;
      other.list_ = nullptr;
    }
    return *this;
  }
  ~CurlSlist() { clear(); }

  // Appends a copy of `line`; false when curl is out of memory.
  bool append(const std::string& line) {
    curl_slist* grown = curl_slist_append(list_, line.c_str());
    if (grown == nullptr) return false;
    list_ = grown;
    return true;
  }
  void clear() {
    curl_slist_free_all(list_);
    list_ = nullptr;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// A new easy handle. Errors: curl_global_init or curl_easy_init failed.
Result<CurlEasy> make_curl_easy();
// A new multi handle. Errors as make_curl_easy().
Result<CurlMulti> make_curl_multi();

}  // namespace stampede::kube
