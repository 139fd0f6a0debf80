#include "common/http/server_state.h"

#include <exception>
#include <utility>

#include "common/http/connection.h"

namespace stampede::http::internal {
namespace beast_http = boost::beast::http;

ServerState::ServerState(ServerOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {
  if (options_.handler_threads > 0) {
    pool_ = std::make_unique<HandlerPool>(options_.handler_threads, options_.max_queue);
  }
}

Reply ServerState::call_handler(const Request& request, const Peer& peer) const {
  // A handler bug must cost one request, never the process or the io thread.
  try {
    return handler_(request, peer);
  } catch (...) {
  }
  Reply reply;
  reply.response = make_response(request, beast_http::status::internal_server_error,
                                 "text/plain; charset=utf-8", "internal server error\n");
  return reply;
}

void ServerState::close_all() {
  closed_.store(true);
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mu_);
    live.reserve(live_.size());
    for (auto& [id, weak] : live_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) connection->post_close();
}

void ServerState::request_started() {
  in_flight_.fetch_add(1);
  busy_.fetch_add(1);
}

void ServerState::request_hung() {
  busy_.fetch_sub(1);
  notify_if_stopping();
}

void ServerState::request_finished(bool was_hung) {
  in_flight_.fetch_sub(1);
  if (!was_hung) busy_.fetch_sub(1);
  notify_if_stopping();
}

void ServerState::notify_if_stopping() {
  // Only shutdown waits on idle_cv_, and it sets stopping_ before it looks at busy_ (both
  // seq_cst): if we read stopping_ false here, the waiter will see our decrement. Taking the
  // mutex before notifying closes the gap between its check and its wait.
  if (!stopping_.load()) return;
  { std::lock_guard lock(mu_); }
  idle_cv_.notify_all();
}

void ServerState::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  idle_cv_.wait_until(lock, deadline, [this] { return busy_.load() == 0; });
}

uint64_t ServerState::add_connection(std::weak_ptr<Connection> connection) {
  std::lock_guard lock(mu_);
  const uint64_t id = next_id_++;
  live_.emplace(id, std::move(connection));
  return id;
}

void ServerState::remove_connection(uint64_t id) {
  std::lock_guard lock(mu_);
  live_.erase(id);
}

size_t ServerState::connections() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

}  // namespace stampede::http::internal
