// FakeRuntimeApi: a FAKE of the local runtime's control API (docs/local-runtime-api.md) for
// tests where `stampede up` cannot run: a real HTTP server (common/http) on 127.0.0.1:0 that
// answers in the contract's shape — JSON bodies, bearer token, 401/404/409 errors — from a
// FakePlatform, and writes <state dir>/runtime.json like the runtime does. Each pod's /metrics
// is served on a port of its own (started when the pod is first listed), as a pod would.
// Thread-safe: handlers run on the server's threads; the FakePlatform is itself thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/http/server.h"
#include "engine/platform/testing/fake_platform.h"

namespace stampede {

class FakeRuntimeApi {
 public:
  // Serves `platform` (which must outlive this) and writes `state_dir`/runtime.json.
  static Result<std::unique_ptr<FakeRuntimeApi>> start(FakePlatform& platform,
                                                       const std::string& state_dir,
                                                       const std::string& token = "fake-token");
  ~FakeRuntimeApi();
  FakeRuntimeApi(const FakeRuntimeApi&) = delete;
  FakeRuntimeApi& operator=(const FakeRuntimeApi&) = delete;

  std::string url() const;
  const std::string& token() const { return token_; }
  // Requests answered so far (any path).
  int requests() const { return requests_.load(); }
  // Stops serving (later requests are refused); the destructor does it too.
  void stop();

 private:
  FakeRuntimeApi(FakePlatform& platform, std::string token)
      : platform_(platform), token_(std::move(token)) {}
  http::Reply handle(const http::Request& request);
  // The /metrics port of `pod`, starting its server on first use; 0 on failure.
  int metrics_port(const std::string& pod);

  FakePlatform& platform_;
  std::string token_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;  // guards metrics_servers_
  std::map<std::string, std::unique_ptr<http::Server>> metrics_servers_;
  std::atomic<int> requests_{0};
};

}  // namespace stampede
