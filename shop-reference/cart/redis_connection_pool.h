// A small pool of blocking hiredis connections to one Redis server.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "shop-reference/cart/cart_store.h"

namespace shop {

// "host:port" split; host may be a name, an IPv4 address or a bracketed IPv6 address.
struct RedisAddr {
  std::string host;
  int port = 0;
  std::string to_string() const;
};

struct RedisPoolOptions {
  // TCP connect; resolving a host name (getaddrinfo) is not bounded by it.
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};  // per command: send and wait for the reply
  size_t pool_size = 4;                             // connections; at least 1
};

struct RedisReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyDeleter>;

// Up to pool_size connections, each used by one thread at a time; a caller waits (bounded) for
// a free one. Connections are made lazily, on the call that needs one. A connection that fails
// (I/O error, timeout, or found closed by the server while idle) is dropped, and the next call
// that takes its slot reconnects, so a restarted Redis is picked up without restarting us.
// Thread-safe. Must outlive all calls into it.
class RedisConnectionPool {
 public:
  RedisConnectionPool(RedisAddr addr, RedisPoolOptions options);
  RedisConnectionPool(const RedisConnectionPool&) = delete;
  RedisConnectionPool& operator=(const RedisConnectionPool&) = delete;

  // Sends one command (binary-safe arguments) and returns Redis's reply, which may be an error
  // reply (REDIS_REPLY_ERROR): interpreting it is the caller's job. Errors: kUnavailable
  // (cannot connect, I/O error, timeout, no free connection in time), all naming the address.
  CartResult<RedisReplyPtr> command(const std::vector<std::string>& args);

  const RedisAddr& addr() const { return addr_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  using Context = std::unique_ptr<redisContext, ContextDeleter>;

  CartResult<Context> connect() const;
  CartError unavailable(const std::string& what) const;

  const RedisAddr addr_;
  const RedisPoolOptions options_;
  std::mutex mu_;
  std::condition_variable slot_free_;
  // Free slots; a null Context is a slot whose connection is not (or no longer) open.
  std::vector<Context> idle_;  // guarded by mu_
};

}  // namespace shop
