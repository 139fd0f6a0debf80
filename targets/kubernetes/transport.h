// Transport: a RestConfig's connection settings put on a curl easy handle — client-go's
// transport layer: TLS trust (CA data or file; only that CA, not the system bundle as well),
// insecure-skip-tls-verify, the client certificate (PEM in memory or files), tls-server-name,
// proxy-url, bearer or basic auth — and the URLs of API paths. Built once per RestConfig;
// const, so any thread may use it; each handle and its RequestLists belong to the caller.
//
// tls-server-name: curl 7.88 has no option to set SNI or the verified name apart from the URL's
// host, so the URL is built on that name and CURLOPT_CONNECT_TO sends the connection to the real
// server. The Host header then carries the name too, which the API server does not use.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>

#include "common/result.h"
#include "targets/kubernetes/credentials.h"
#include "targets/kubernetes/curl_handle.h"
#include "targets/kubernetes/rest_config.h"

namespace stampede::kube {

// Lists a handle needs while its transfer runs; keep them alive as long as the handle uses them.
struct RequestLists {
  CurlSlist headers;
  CurlSlist connect_to;
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::string user_agent = "stampede";
};

class Transport {
 public:
  // Errors: the server URL does not parse.
  static Result<Transport> create(const RestConfig& config, TransportOptions options = {});

  const RestConfig& config() const { return config_; }
  // "https://10.0.0.1:6443" (the configured server, for messages).
  const std::string& server() const { return config_.server; }

  // The URL for an API path ("/api/v1/pods") and an encoded query ("" for none).
  std::string url(const std::string& path, const std::string& query) const;

  // Sets URL-independent options on `easy` (call after curl_easy_reset, before the method and
  // URL): TLS, proxy, server name, timeouts, keep-alive, User-Agent, auth. Adds the
  // Authorization header to lists.headers. Errors: curl rejected an option (too old a libcurl).
  Status apply(CURL* easy, const AuthMaterial& auth, RequestLists& lists) const;

  // A one-line explanation of a failed transfer: curl's message plus, for TLS failures, what
  // was configured: "SSL certificate problem: ... — the server's certificate is not signed by
  // the configured certificate-authority (/x/ca.crt)".
  std::string describe_failure(CURLcode code, const std::string& curl_message) const;

 private:
  Transport(RestConfig config, ServerUrl server, TransportOptions options)
      : config_(std::move(config)), server_(std::move(server)), options_(std::move(options)) {}
  std::string trust_source() const;

  RestConfig config_;
  ServerUrl server_;
  TransportOptions options_;
};

}  // namespace stampede::kube
