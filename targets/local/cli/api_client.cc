#include "targets/local/cli/api_client.h"

#include "targets/local/probe/http_call.h"

namespace stampede::local {

Result<ApiAnswer> api_call(const RuntimeInfo& info, const std::string& method,
                           const std::string& path, const std::string& body,
                           std::chrono::milliseconds timeout) {
  auto r =
      http_call("127.0.0.1", info.api_port(), method, path,
                {{"Authorization", "Bearer " + info.token}, {"Content-Type", "application/json"}},
                body, timeout, 64 << 20);
  if (!r.ok()) return r.error().with_context("control API " + info.api);
  ApiAnswer a;
  a.status = r.value().status;
  a.body = nlohmann::json::parse(r.value().body, nullptr, false);
  if (a.body.is_discarded()) a.body = nullptr;
  return a;
}

}  // namespace stampede::local
