#include "engine/http/native_transport.h"

#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace stampede {
namespace {

constexpr uint64_t kDeadlineToken = 1;
constexpr uint64_t kDeferredToken = 2;

std::string outcome_message(const Http1Connection::Outcome& outcome) {
  if (outcome.sys_errno == 0) return outcome.what;
  return std::string(outcome.what) + ": " + std::strerror(outcome.sys_errno);
}

}  // namespace

struct NativeTransport::Pool {
  sockaddr_storage address{};
  socklen_t address_len = 0;
  std::vector<Http1Connection*> idle;  // most recently used last
};

struct NativeTransport::InFlight {
  HttpExchange* exchange = nullptr;
  Http1Connection* connection = nullptr;
  Pool* pool = nullptr;
  std::string head;  // the serialized request head; keeps its capacity
  Http1RequestHead info;
  Nanos deadline = 0;
  size_t heap_index = DeadlineHeap<InFlight>::kNotQueued;
  Nanos connecting = 0;
  uint64_t generation = 0;
  bool retried = false;
};

size_t NativeTransport::PoolKeyHash::operator()(const PoolKey& key) const {
  // FNV-1a over the 19 key bytes.
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : key.bytes) h = (h ^ b) * 1099511628211ull;
  return static_cast<size_t>(h);
}

NativeTransport::NativeTransport(EventLoop& loop, TransportCallback& callback,
                                 NativeTransportOptions options)
    : loop_(loop),
      callback_(callback),
      options_(std::move(options)),
      deadline_timer_(loop, this, kDeadlineToken),
      deferred_timer_(loop, this, kDeferredToken) {
  limits_.max_header_bytes = options_.max_header_bytes;
  limits_.max_body_bytes = options_.max_body_bytes;
  read_buffer_.resize(std::max<size_t>(options_.read_buffer_bytes, 1024));
}

NativeTransport::~NativeTransport() {
  connections_.clear();  // deregisters and closes; no callbacks
}

bool NativeTransport::supports(const Url& url) {
  return http1_supports(url);
}

size_t NativeTransport::idle_connections() const {
  size_t n = 0;
  for (const auto& [key, pool] : pools_) n += pool->idle.size();
  return n;
}

void NativeTransport::start(HttpExchange* exchange) {
  HttpResponse& resp = exchange->response;
  resp.clear();
  Nanos now = monotonic_now();
  resp.timings.started_at = now;
  InFlight* request = acquire_request();
  request->exchange = exchange;
  exchange->transport_handle = request;
  ++in_flight_;
  starting_ = true;
  Http1Target target;
  Status resolved = resolve_http1_target(exchange->request.url, &scratch_target_, &target);
  if (!resolved.ok()) {
    fail(request, HttpErrorKind::kInvalidUrl, resolved.error().message());
  } else {
    request->pool = pool_for(target);
    request->info = write_http1_request_head(exchange->request, target.target, target.host(),
                                             options_.user_agent, &request->head);
    if (exchange->request.timeout > 0) {
      request->deadline = now + exchange->request.timeout;
      deadlines_.push(request);
      arm_deadline_timer();
    }
    dispatch(request, false);
  }
  starting_ = false;
}

void NativeTransport::cancel(HttpExchange* exchange) {
  auto* request = static_cast<InFlight*>(exchange->transport_handle);
  if (request == nullptr) return;
  if (request->connection != nullptr) destroy(request->connection);  // its state is unknown
  exchange->transport_handle = nullptr;
  release_request(request);  // a pending deferred completion goes stale with the generation
  --in_flight_;
}

NativeTransport::Pool* NativeTransport::pool_for(const Http1Target& target) {
  PoolKey key;
  key.bytes[0] = static_cast<uint8_t>(target.address.ss_family);
  if (target.address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&target.address);
    std::memcpy(key.bytes + 1, &v4->sin_port, 2);
    std::memcpy(key.bytes + 3, &v4->sin_addr, 4);
  } else {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&target.address);
    std::memcpy(key.bytes + 1, &v6->sin6_port, 2);
    std::memcpy(key.bytes + 3, &v6->sin6_addr, 16);
  }
  std::unique_ptr<Pool>& pool = pools_[key];
  if (pool == nullptr) {
    pool = std::make_unique<Pool>();
    pool->address = target.address;
    pool->address_len = target.address_len;
  }
  return pool.get();
}

void NativeTransport::dispatch(InFlight* request, bool fresh_connection) {
  Pool* pool = request->pool;
  Http1Connection* connection = nullptr;
  if (!fresh_connection && !pool->idle.empty()) {
    connection = pool->idle.back();
    pool->idle.pop_back();
    connection->owner_data().idle_index = SIZE_MAX;
    ++stats_.reused;
  } else {
    Http1Connection::Listener& listener = *this;
    auto owned = std::make_unique<Http1Connection>(
        loop_, listener, std::span<char>(read_buffer_.data(), read_buffer_.size()));
    connection = owned.get();
    connection->owner_data().pool = pool;
    connection->owner_data().index = connections_.size();
    connections_.push_back(std::move(owned));
    ++stats_.connections_opened;
    int err =
        connection->open(reinterpret_cast<const sockaddr*>(&pool->address), pool->address_len);
    if (err != 0) {
      destroy(connection);
      HttpErrorKind kind = err == ECONNREFUSED || err == ENETUNREACH || err == EHOSTUNREACH
                               ? HttpErrorKind::kConnectionRefused
                               : HttpErrorKind::kOther;
      return fail(request, kind, std::string("connect: ") + std::strerror(err));
    }
  }
  request->connection = connection;
  connection->owner_data().request = request;
  Http1Connection::Outcome outcome;
  if (!connection->send(request->exchange, request->head, request->exchange->request.body,
                        request->info, limits_, &outcome)) {
    on_exchange_end(connection, outcome);
  }
}

void NativeTransport::on_exchange_end(Http1Connection* connection,
                                      const Http1Connection::Outcome& outcome) {
  auto* request = static_cast<InFlight*>(connection->owner_data().request);
  connection->owner_data().request = nullptr;
  request->connection = nullptr;
  bool fresh = connection->uses() == 1;
  if (fresh) request->connecting = connection->connect_duration();
  // The keep-alive race: the server closed an idle connection as we reused it.
  bool retry = outcome.error != HttpErrorKind::kNone && !outcome.response_started && !fresh &&
               !request->retried &&
               (outcome.error == HttpErrorKind::kEmptyReply ||
                outcome.error == HttpErrorKind::kConnectionReset);
  if (outcome.reusable) {
    park(connection);
  } else {
    destroy(connection);
  }
  if (retry) {
    request->retried = true;
    ++stats_.retries;
    return dispatch(request, true);
  }
  if (outcome.error != HttpErrorKind::kNone) {
    return fail(request, outcome.error, outcome_message(outcome));
  }
  complete(request);
}

void NativeTransport::on_idle_lost(Http1Connection* connection) {
  destroy(connection);
}

void NativeTransport::fail(InFlight* request, HttpErrorKind kind, std::string message) {
  HttpResponse& resp = request->exchange->response;
  resp.status = 0;
  resp.error = kind;
  resp.error_message = std::move(message);
  complete(request);
}

void NativeTransport::complete(InFlight* request) {
  HttpTimings& t = request->exchange->response.timings;
  t.finished_at = monotonic_now();
  t.blocked = 0;
  t.tls_handshaking = 0;
  t.connecting = request->connecting;
  t.duration = t.sending + t.waiting + t.receiving;
  deadlines_.remove(request);
  arm_deadline_timer();
  if (!starting_) return deliver(request);
  deferred_.push_back(Deferred{request, request->generation});
  if (!deferred_timer_.armed()) deferred_timer_.set(t.finished_at);
}

void NativeTransport::deliver(InFlight* request) {
  HttpExchange* exchange = request->exchange;
  exchange->transport_handle = nullptr;
  release_request(request);
  --in_flight_;
  callback_.on_exchange_done(exchange);  // may start or cancel exchanges
}

void NativeTransport::on_timer(uint64_t token) {
  if (token == kDeferredToken) return flush_deferred();
  expire_deadlines();
  arm_deadline_timer();
}

void NativeTransport::flush_deferred() {
  // Completions deferred by callbacks below wait for the next timer round.
  std::swap(deferred_, deferred_batch_);
  for (const Deferred& d : deferred_batch_) {
    if (d.request->generation == d.generation) deliver(d.request);
  }
  deferred_batch_.clear();
}

void NativeTransport::expire_deadlines() {
  Nanos now = monotonic_now();
  while (!deadlines_.empty() && deadlines_.top()->deadline <= now) {
    InFlight* request = deadlines_.pop();
    HttpResponse& resp = request->exchange->response;
    if (Http1Connection* connection = request->connection) {
      connection->fill_timings(&resp.timings, now);
      if (connection->uses() == 1) request->connecting = connection->connect_duration();
      request->connection = nullptr;
      destroy(connection);
    }
    fail(request, HttpErrorKind::kTimeout,
         "timeout: no complete response within " +
             std::to_string(request->exchange->request.timeout / kNanosPerMilli) + " ms");
  }
}

void NativeTransport::arm_deadline_timer() {
  if (deadlines_.empty()) {
    deadline_timer_.clear();
  } else {
    deadline_timer_.set(deadlines_.top()->deadline);
  }
}

NativeTransport::InFlight* NativeTransport::acquire_request() {
  if (free_requests_.empty()) {
    requests_.push_back(std::make_unique<InFlight>());
    return requests_.back().get();
  }
  InFlight* request = free_requests_.back();
  free_requests_.pop_back();
  return request;
}

void NativeTransport::release_request(InFlight* request) {
  deadlines_.remove(request);
  if (request->connection != nullptr) request->connection->owner_data().request = nullptr;
  request->exchange = nullptr;
  request->connection = nullptr;
  request->pool = nullptr;
  request->connecting = 0;
  request->retried = false;
  ++request->generation;
  free_requests_.push_back(request);
}

void NativeTransport::park(Http1Connection* connection) {
  auto* pool = static_cast<Pool*>(connection->owner_data().pool);
  connection->owner_data().idle_index = pool->idle.size();
  pool->idle.push_back(connection);
}

void NativeTransport::destroy(Http1Connection* connection) {
  Http1Connection::OwnerData& data = connection->owner_data();
  if (data.idle_index != SIZE_MAX) {
    auto& idle = static_cast<Pool*>(data.pool)->idle;
    Http1Connection* last = idle.back();
    idle[data.idle_index] = last;
    last->owner_data().idle_index = data.idle_index;
    idle.pop_back();
  }
  if (data.request != nullptr) static_cast<InFlight*>(data.request)->connection = nullptr;
  size_t index = data.index;
  std::swap(connections_[index], connections_.back());
  connections_[index]->owner_data().index = index;
  connections_.pop_back();  // closes the socket
}

}  // namespace stampede
