#include "common/http/io_threads.h"

#include <boost/asio/post.hpp>

namespace stampede::http::internal {
namespace net = boost::asio;

IoThreads::IoThreads(unsigned count) {
  if (count == 0) count = 1;
  for (unsigned i = 0; i < count; ++i) {
    // Concurrency hint 1: each context is run by exactly one thread, so asio can skip locking.
    contexts_.push_back(std::make_unique<net::io_context>(1));
    guards_.push_back(net::make_work_guard(*contexts_.back()));
  }
}

IoThreads::~IoThreads() {
  stop();
  contexts_.clear();
}

std::vector<net::io_context*> IoThreads::contexts() const {
  std::vector<net::io_context*> out;
  for (const auto& context : contexts_) out.push_back(context.get());
  return out;
}

void IoThreads::start() {
  for (auto& context : contexts_) {
    threads_.emplace_back([ctx = context.get()] {
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (...) {
          // Our completion handlers catch handler exceptions; this is for bad_alloc and the
          // like, which cost only the connection whose handler threw.
        }
      }
    });
  }
}

void IoThreads::stop() {
  guards_.clear();
  for (auto& context : contexts_) {
    // Posted, so that closes queued before this call still run; completions queued after it
    // are destroyed with the context.
    net::post(*context, [ctx = context.get()] { ctx->stop(); });
  }
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

}  // namespace stampede::http::internal
