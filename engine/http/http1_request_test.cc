#include "engine/http/http1_request.h"

#include <gtest/gtest.h>

#include <string>

namespace stampede {
namespace {

std::string head_of(const HttpRequest& request, Http1RequestHead* info = nullptr) {
  std::string out = "stale";
  Http1RequestHead h =
      write_http1_request_head(request, "/p?q=1", "127.0.0.1:8080", "stampede/0.1", &out);
  if (info != nullptr) *info = h;
  return out;
}

TEST(Http1RequestTest, GetHasLibcurlsDefaultHeaders) {
  HttpRequest request;
  Http1RequestHead info;
  EXPECT_EQ(head_of(request, &info),
            "GET /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: stampede/0.1\r\n"
            "Accept: */*\r\n\r\n");
  EXPECT_FALSE(info.head_request);
  EXPECT_FALSE(info.send_body);
  EXPECT_FALSE(info.close_after);
}

TEST(Http1RequestTest, PostWithCookieHeadersAndBody) {
  HttpRequest request;
  request.method = "POST";
  request.cookie = "a=1; b=2";
  request.headers = {"X-Trace: abc", "Content-Type: application/json"};
  request.body = "{\"k\":1}";
  Http1RequestHead info;
  EXPECT_EQ(head_of(request, &info),
            "POST /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: stampede/0.1\r\n"
            "Accept: */*\r\nCookie: a=1; b=2\r\nX-Trace: abc\r\n"
            "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n");
  EXPECT_TRUE(info.send_body);
}

TEST(Http1RequestTest, BodyDefaultsFollowLibcurl) {
  HttpRequest request;
  request.method = "POST";  // an empty POST still says Content-Length: 0
  EXPECT_EQ(head_of(request),
            "POST /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: stampede/0.1\r\n"
            "Accept: */*\r\nContent-Length: 0\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n");
  request.method = "PUT";  // no body, no framing headers
  EXPECT_EQ(head_of(request).find("Content-"), std::string::npos);
  request.body = "x";
  Http1RequestHead info;
  EXPECT_NE(head_of(request, &info).find("Content-Length: 1\r\n"), std::string::npos);
  EXPECT_TRUE(info.send_body);
  request.method = "GET";  // libcurl's HTTPGET sends no body
  EXPECT_EQ(head_of(request, &info).find("Content-"), std::string::npos);
  EXPECT_FALSE(info.send_body);
  request.method = "HEAD";
  EXPECT_EQ(head_of(request, &info).find("Content-"), std::string::npos);
  EXPECT_TRUE(info.head_request);
  EXPECT_FALSE(info.send_body);
}

TEST(Http1RequestTest, RequestHeadersReplaceDefaults) {
  HttpRequest request;
  request.headers = {"host: example.test", "User-Agent: k6", "Accept:",
                     "X-Empty;",           "X-Dropped:  ",   "Connection: close"};
  Http1RequestHead info;
  EXPECT_EQ(head_of(request, &info),
            "GET /p?q=1 HTTP/1.1\r\nhost: example.test\r\nUser-Agent: k6\r\nX-Empty:\r\n"
            "Connection: close\r\n\r\n");
  EXPECT_TRUE(info.close_after);
}

TEST(Http1RequestTest, ReusesTheBuffer) {
  HttpRequest request;
  std::string out;
  out.reserve(4096);
  const char* data = out.data();
  write_http1_request_head(request, "/", "h", "ua", &out);
  EXPECT_EQ(out.data(), data);
}

}  // namespace
}  // namespace stampede
