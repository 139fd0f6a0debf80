// Test-only: FakeApiServer, a FAKE Kubernetes API server (not an implementation of one) for
// tests of the client and of whatever is built on it. It listens on 127.0.0.1 (port 0) with
// common/http's server, answers routes (method + exact path, or + path prefix) with canned
// responses, response sequences or handler lambdas, records every request (method, target,
// headers incl. Authorization, body), can require a bearer token (401 Status otherwise), and
// serves watches (GET ?watch=1|true) as chunked streams the test pushes event lines into, ends
// cleanly, or cuts by dropping every connection. Unrouted paths get the API server's 404 Status.
// Thread-safe: tests configure and push from their thread while the server's threads answer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/http/server.h"
#include "common/http/url.h"
#include "common/result.h"

namespace stampede::kube::testing {

struct RecordedRequest {
  std::string method;                          // "GET"
  std::string target;                          // "/api/v1/pods?watch=1&resourceVersion=5"
  std::string path;                            // "/api/v1/pods"
  std::string query;                           // "watch=1&resourceVersion=5"
  http::Params params;                         // the query, decoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, "" when absent (`name` in any case).
  std::string header(const std::string& name) const;
  // The first value of a query parameter, "" when absent.
  std::string param(const std::string& name) const;
  bool is_watch() const;
};

struct FakeResponse {
  int code = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones: Retry-After, Warning

  // A JSON body.
  static FakeResponse json(int code, const nlohmann::json& body);
  // The API server's Status for an error: code, reason (default: Kubernetes' for the code),
  // message, and details {name, kind} when given.
  static FakeResponse status(int code, const std::string& message, const std::string& reason = "",
                             const std::string& name = "", const std::string& kind = "");
  FakeResponse& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using FakeHandler = std::function<FakeResponse(const RecordedRequest&)>;

class FakeApiServer {
 public:
  // Listens on 127.0.0.1, an ephemeral port. Errors: the server cannot start.
  static Result<std::unique_ptr<FakeApiServer>> start();
  ~FakeApiServer();
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  // "http://127.0.0.1:PORT".
  std::string url() const;
  uint16_t port() const { return port_; }

  // Routes (a later route for the same method and path replaces the earlier). The query is not
  // part of the match; a handler reads it. Prefix routes match when no exact one does, the
  // longest prefix first.
  void on(const std::string& method, const std::string& path, FakeResponse response);
  void on(const std::string& method, const std::string& path, FakeHandler handler);
  void on_prefix(const std::string& method, const std::string& prefix, FakeHandler handler);
  // Answers the responses in turn; the last one repeats.
  void on_sequence(const std::string& method, const std::string& path,
                   std::vector<FakeResponse> responses);

  // Only "Authorization: Bearer <token>" is accepted ("" accepts anything, the default).
  void require_bearer(const std::string& token);

  // Watches of `path`. push_watch writes `line` + "\n" to every open watch of the path;
  // push_watch_raw writes the bytes as they are (to split lines across chunks). With no watch
  // open, the bytes wait for the next watch of the path. Both return how many watches got them.
  size_t push_watch(const std::string& path, const std::string& line);
  size_t push_watch_raw(const std::string& path, const std::string& bytes);
  // Ends every open watch of `path` cleanly (as the server's timeoutSeconds does).
  size_t end_watches(const std::string& path);
  // The next watch request of `path` is answered with `response` instead of a stream (e.g. a
  // 410 Status); several queue up.
  void reply_to_next_watch(const std::string& path, FakeResponse response);
  // Cuts every connection mid-stream, like an API server restart, by stopping the server; it
  // listens again on the same port after `down_for`. Errors: the port cannot be bound again.
  Status drop_connections(std::chrono::milliseconds down_for = std::chrono::milliseconds(0));
  // Watches of `path` now open (streams not ended or gone).
  size_t open_watches(const std::string& path) const;
  // Waits until `count` watch requests of `path` have arrived in all (at most `timeout`).
  bool wait_for_watches(const std::string& path, size_t count,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // Every request so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  // Those with this method and path (any query).
  std::vector<RecordedRequest> requests(const std::string& method, const std::string& path) const;
  // The watch requests of `path`.
  std::vector<RecordedRequest> watch_requests(const std::string& path) const;
  // Waits until `count` requests with this method and path have arrived.
  bool wait_for_requests(const std::string& method, const std::string& path, size_t count,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  void clear_requests();

 private:
  struct Route {
    FakeHandler handler;
  };
  FakeApiServer() = default;
  http::Reply handle(const http::Request& request);
  http::Reply watch(const http::Request& request, const RecordedRequest& recorded);
  Status listen(uint16_t port);
  // Open, unended streams of `path`; prunes closed ones. Needs mu_.
  std::vector<std::shared_ptr<http::ResponseStream>>& live_streams_locked(const std::string& path);
  size_t write_locked(const std::string& path, const std::string& bytes);

  uint16_t port_ = 0;
  std::mutex server_mu_;  // serialises drop_connections()
  std::unique_ptr<http::Server> server_;

  mutable std::mutex mu_;
  mutable std::condition_variable arrived_;
  std::map<std::pair<std::string, std::string>, Route> exact_;     // guarded by mu_
  std::map<std::pair<std::string, std::string>, Route> prefixes_;  // guarded by mu_
  std::string bearer_;                                             // guarded by mu_
  std::vector<RecordedRequest> requests_;                          // guarded by mu_
  std::map<std::string, std::vector<std::shared_ptr<http::ResponseStream>>> streams_;  // mu_
  std::map<std::string, std::string> backlog_;                     // guarded by mu_
  std::map<std::string, std::deque<FakeResponse>> watch_replies_;  // guarded by mu_
};

}  // namespace stampede::kube::testing
