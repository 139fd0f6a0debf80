#include "targets/kubernetes/transport.h"

namespace stampede::kube {
namespace {

// Sets an option, remembering the first failure.
class Options {
 public:
  explicit Options(CURL* easy) : easy_(easy) {}
  template <typename T>
  void set(CURLoption option, T value, const char* name) {
    CURLcode rc = curl_easy_setopt(easy_, option, value);
    if (rc != CURLE_OK && ok_) {
      ok_ = false;
      error_ = std::string("curl option ") + name + ": " + curl_easy_strerror(rc);
    }
  }
  void blob(CURLoption option, const std::string& data, const char* name) {
    curl_blob b;
    b.data = const_cast<char*>(data.data());
    b.len = data.size();
    b.flags = CURL_BLOB_COPY;
    set(option, &b, name);
  }
  Status status() const { return ok_ ? Status::Ok() : Status(Error(error_)); }

 private:
  CURL* easy_;
  bool ok_ = true;
  std::string error_;
};

}  // namespace

Result<Transport> Transport::create(const RestConfig& config, TransportOptions options) {
  auto server = parse_server_url(config.server);
  if (!server.ok()) return server.error();
  return Transport(config, std::move(server).value(), std::move(options));
}

std::string Transport::url(const std::string& path, const std::string& query) const {
  ServerUrl target = server_;
  if (!config_.tls_server_name.empty() && server_.scheme == "https") {
    target.host = config_.tls_server_name;
  }
  std::string url = target.base() + path;
  if (!query.empty()) url += "?" + query;
  return url;
}

Status Transport::apply(CURL* easy, const AuthMaterial& auth, RequestLists& lists) const {
  Options o(easy);
  o.set(CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
  o.set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
  o.set(CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");
  o.set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1), "HTTP_VERSION");
  o.set(CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
  o.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()),
        "CONNECTTIMEOUT_MS");
  o.set(CURLOPT_USERAGENT, options_.user_agent.c_str(), "USERAGENT");
  if (!config_.proxy_url.empty()) o.set(CURLOPT_PROXY, config_.proxy_url.c_str(), "PROXY");

  if (server_.scheme == "https") {
    if (config_.insecure_skip_tls_verify) {
      o.set(CURLOPT_SSL_VERIFYPEER, 0L, "SSL_VERIFYPEER");
      o.set(CURLOPT_SSL_VERIFYHOST, 0L, "SSL_VERIFYHOST");
    } else if (!config_.ca_data.empty()) {
      // Only the configured CA: curl would otherwise trust its default bundle as well.
      o.set(CURLOPT_CAINFO, static_cast<const char*>(nullptr), "CAINFO");
      o.set(CURLOPT_CAPATH, static_cast<const char*>(nullptr), "CAPATH");
      o.blob(CURLOPT_CAINFO_BLOB, config_.ca_data, "CAINFO_BLOB");
    } else if (!config_.ca_file.empty()) {
      o.set(CURLOPT_CAPATH, static_cast<const char*>(nullptr), "CAPATH");
      o.set(CURLOPT_CAINFO, config_.ca_file.c_str(), "CAINFO");
    }
    if (!config_.tls_server_name.empty()) {
      // The URL carries the name (SNI and verification); the connection goes to the server.
      lists.connect_to.append(config_.tls_server_name + ":" + std::to_string(server_.port) + ":" +
                              server_.host_for_url() + ":" + std::to_string(server_.port));
      o.set(CURLOPT_CONNECT_TO, lists.connect_to.get(), "CONNECT_TO");
    }
    if (!auth.client_cert_pem.empty()) {
      o.blob(CURLOPT_SSLCERT_BLOB, auth.client_cert_pem, "SSLCERT_BLOB");
      o.set(CURLOPT_SSLCERTTYPE, "PEM", "SSLCERTTYPE");
    } else if (!auth.client_cert_file.empty()) {
      o.set(CURLOPT_SSLCERT, auth.client_cert_file.c_str(), "SSLCERT");
      o.set(CURLOPT_SSLCERTTYPE, "PEM", "SSLCERTTYPE");
    }
    if (!auth.client_key_pem.empty()) {
      o.blob(CURLOPT_SSLKEY_BLOB, auth.client_key_pem, "SSLKEY_BLOB");
      o.set(CURLOPT_SSLKEYTYPE, "PEM", "SSLKEYTYPE");
    } else if (!auth.client_key_file.empty()) {
      o.set(CURLOPT_SSLKEY, auth.client_key_file.c_str(), "SSLKEY");
      o.set(CURLOPT_SSLKEYTYPE, "PEM", "SSLKEYTYPE");
    }
  }
  if (!auth.bearer_token.empty()) {
    lists.headers.append("Authorization: Bearer " + auth.bearer_token);
  } else if (!auth.username.empty() || !auth.password.empty()) {
    o.set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC), "HTTPAUTH");
    o.set(CURLOPT_USERNAME, auth.username.c_str(), "USERNAME");
    o.set(CURLOPT_PASSWORD, auth.password.c_str(), "PASSWORD");
  }
  return o.status();
}

std::string Transport::trust_source() const {
  if (!config_.ca_data.empty()) return "certificate-authority-data";
  if (!config_.ca_file.empty()) return config_.ca_file;
  return "the system's CA bundle";
}

std::string Transport::describe_failure(CURLcode code, const std::string& curl_message) const {
  std::string text = "cannot reach " + config_.server;
  if (!config_.source.empty()) text += " (" + config_.source + ")";
  text += ": " + (curl_message.empty() ? std::string(curl_easy_strerror(code)) : curl_message);
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
      if (curl_message.find("subject name") != std::string::npos ||
          curl_message.find("does not match") != std::string::npos) {
        text += " — the server's certificate does not name " +
                (config_.tls_server_name.empty() ? server_.host : config_.tls_server_name) +
                " (set tls-server-name to a name it has)";
      } else {
        text += " — the server's certificate is not trusted by " + trust_source() +
                " (set certificate-authority to the cluster's CA, or insecure-skip-tls-verify "
                "for a throwaway cluster)";
      }
      break;
    case CURLE_SSL_CERTPROBLEM:
      text += " — the client certificate or key cannot be used";
      break;
    case CURLE_SSL_CACERT_BADFILE:
      text += " — cannot load the CA certificates (" + trust_source() + ")";
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_RECV_ERROR:
      if (curl_message.find("alert") != std::string::npos) {
        text += " — the server refused the TLS session (does it require a client certificate?)";
      }
      break;
    default:
      break;
  }
  return text;
}

}  // namespace stampede::kube
