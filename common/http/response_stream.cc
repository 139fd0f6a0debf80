#include <utility>

#include "common/http/server.h"

namespace stampede::http {

bool ResponseStream::write(std::string chunk) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (ended_ || gone_) return false;
    if (chunk.empty()) return true;
    pending_ += chunk.size();
    chunks_.push_back(std::move(chunk));
    wake = wake_;
  }
  if (wake) wake();
  return true;
}

void ResponseStream::end() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (ended_ || gone_) return;
    ended_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool ResponseStream::closed() const {
  std::lock_guard lock(mu_);
  return ended_ || gone_;
}

size_t ResponseStream::pending_bytes() const {
  std::lock_guard lock(mu_);
  return pending_;
}

void ResponseStream::on_close(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  on_close_ = std::move(fn);
}

void ResponseStream::attach(std::function<void()> wake) {
  bool ready;
  {
    std::lock_guard lock(mu_);
    wake_ = wake;
    ready = !chunks_.empty() || ended_;
  }
  // Chunks written before the connection attached are waiting: write them now.
  if (ready) wake();
}

bool ResponseStream::take(std::deque<std::string>& out) {
  std::lock_guard lock(mu_);
  while (!chunks_.empty()) {
    pending_ -= chunks_.front().size();
    out.push_back(std::move(chunks_.front()));
    chunks_.pop_front();
  }
  return ended_;
}

void ResponseStream::disconnect() {
  std::function<void()> fn;
  {
    std::lock_guard lock(mu_);
    if (gone_) return;
    gone_ = true;
    wake_ = nullptr;
    chunks_.clear();
    pending_ = 0;
    if (!ended_) fn = std::move(on_close_);
    on_close_ = nullptr;
  }
  if (fn) fn();
}

}  // namespace stampede::http
