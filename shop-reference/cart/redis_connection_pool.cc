#include "shop-reference/cart/redis_connection_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace shop {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

// hiredis writes with write(2), so a write to a socket the server has reset raises SIGPIPE,
// whose default action kills the process. Blocking SIGPIPE for this thread during a command,
// then discarding one we caused, keeps the error an EPIPE without touching process-wide
// signal handling (which belongs to main()).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{};
        while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

// Between commands nothing may arrive on a connection (we use no pub/sub), so a readable
// socket means the server closed it (EOF) or reset it: reconnect instead of writing into it.
bool closed_by_peer(const redisContext* c) {
  pollfd p{c->fd, POLLIN, 0};
  return poll(&p, 1, 0) != 0;
}

}  // namespace

std::string RedisAddr::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

RedisConnectionPool::RedisConnectionPool(RedisAddr addr, RedisPoolOptions options)
    : addr_(std::move(addr)), options_(options) {
  idle_.resize(std::max<size_t>(options_.pool_size, 1));
}

CartError RedisConnectionPool::unavailable(const std::string& what) const {
  return CartError(CartErrorKind::kUnavailable, "redis " + addr_.to_string() + ": " + what);
}

CartResult<RedisConnectionPool::Context> RedisConnectionPool::connect() const {
  Context c(redisConnectWithTimeout(addr_.host.c_str(), addr_.port,
                                    to_timeval(options_.connect_timeout)));
  if (!c) return unavailable("connect: out of memory");
  if (c->err) return unavailable(std::string("connect: ") + c->errstr);
  // hiredis leaves the socket inheritable; a child process must not keep our connection open.
  fcntl(c->fd, F_SETFD, FD_CLOEXEC);
  if (redisSetTimeout(c.get(), to_timeval(options_.command_timeout)) != REDIS_OK) {
    return unavailable(std::string("setting the command timeout: ") + c->errstr);
  }
  return c;
}

CartResult<RedisReplyPtr> RedisConnectionPool::command(const std::vector<std::string>& args) {
  Context c;
  {
    std::unique_lock lock(mu_);
    // Every holder returns its slot within about one connect plus one command timeout, so
    // waiting that long means the pool is saturated by a stuck server.
    const auto wait = options_.connect_timeout + options_.command_timeout;
    if (!slot_free_.wait_for(lock, wait, [this] { return !idle_.empty(); })) {
      return unavailable("no free connection within " + std::to_string(wait.count()) + " ms");
    }
    c = std::move(idle_.back());
    idle_.pop_back();
  }
  // Hands the slot back on every path; a failed connection goes back as null.
  auto give_back = [this](Context ctx) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(ctx));
    slot_free_.notify_one();
  };

  if (c && (c->err || closed_by_peer(c.get()))) c.reset();
  if (!c) {
    auto fresh = connect();
    if (!fresh.ok()) {
      give_back(nullptr);
      return fresh.error();
    }
    c = std::move(fresh).value();
  }

  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisReply* raw = nullptr;
  int saved_errno = 0;
  {
    SigpipeGuard guard;
    errno = 0;
    raw = static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data()));
    saved_errno = errno;
  }
  if (raw == nullptr) {
    // The connection's state is unknown (a reply may still arrive): never reuse it.
    std::string why = c->errstr[0] ? c->errstr : "no reply";
    if (c->err == REDIS_ERR_IO && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)) {
      why = "timed out after " + std::to_string(options_.command_timeout.count()) + " ms";
    }
    give_back(nullptr);
    return unavailable(args.empty() ? why : args[0] + ": " + why);
  }
  give_back(std::move(c));
  return RedisReplyPtr(raw);
}

}  // namespace shop
