#include "targets/local/proxy/pump.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

#include "targets/local/proxy/connection.h"
#include "targets/local/proxy/fault_switch.h"

namespace stampede::local::internal {
namespace net = boost::asio;
using Clock = ChunkRing::Clock;

Pump::Pump(Connection& owner, Direction direction, net::ip::tcp::socket& from,
           net::ip::tcp::socket& to)
    : owner_(owner),
      direction_(direction),
      from_(from),
      to_(to),
      ring_(kPumpBufferBytes, kDelayedChunks),
      timer_(from.get_executor()) {}

void Pump::start() {
  sync_fault();
  read();
}

void Pump::stop() {
  timer_.cancel();
}

void Pump::fault_changed() {
  // A waiting timer is cancelled and its handler writes; otherwise write now.
  if (waiting_) {
    timer_.cancel();
  } else {
    write();
  }
  read();
}

void Pump::sync_fault() {
  const ProxyFault& fault = owner_.fault();
  const uint64_t generation = owner_.fault_generation();
  if (generation == fault_generation_) return;
  fault_generation_ = generation;
  const Clock::time_point now = Clock::now();
  const double rate = fault.bandwidth_kbps * 1000.0;
  bucket_.configure(rate, burst_for_rate(rate), now);
  // Chunks already queued wait at most as long as the new fault would have held them.
  const auto longest = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::milli>(fault.latency_ms + fault.jitter_ms));
  for (size_t i = 0; i < ring_.chunks(); ++i) {
    ChunkRing::Chunk& chunk = ring_.at(i);
    chunk.due = std::min(chunk.due, chunk.arrived + longest);
  }
}

Clock::duration Pump::delay() {
  const ProxyFault& fault = owner_.fault();
  if (!delays(fault)) return Clock::duration::zero();
  const double ms = fault.latency_ms + owner_.random01() * fault.jitter_ms;
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(ms));
}

void Pump::read() {
  if (reading_ || eof_ || owner_.closed()) return;
  sync_fault();
  const std::span<char> space = ring_.free_space(delays(owner_.fault()) ? kDelayedChunks : 1);
  if (space.empty()) return;  // back-pressure: a finished write calls read() again
  reading_ = true;
  reading_into_ = space.data();
  from_.async_read_some(net::buffer(space.data(), space.size()),
                        with_memory(read_memory_, [self = owner_.shared_from_this(), this](
                                                      const boost::system::error_code& ec,
                                                      size_t n) { on_read(ec, n); }));
}

void Pump::on_read(const boost::system::error_code& ec, size_t n) {
  reading_ = false;
  if (owner_.closed()) return;
  if (ec == net::error::eof) {
    eof_ = true;
    write();  // forwards the FIN once the ring is empty
    return;
  }
  if (ec) {
    owner_.abort();  // a reset (or any other failure) is passed on as a reset
    return;
  }
  sync_fault();
  if (!owner_.fault().blackhole) {
    const Clock::time_point now = Clock::now();
    Clock::time_point due = now + delay();
    // Jitter must not reorder: a chunk is never due before the one queued ahead of it.
    if (!ring_.empty()) due = std::max(due, ring_.at(ring_.chunks() - 1).due);
    ring_.push({reading_into_, n}, now, due);
    write();
  }
  read();
}

void Pump::write() {
  if (writing_ || waiting_ || owner_.closed()) return;
  sync_fault();
  const ProxyFault& fault = owner_.fault();
  if (fault.blackhole) ring_.clear();  // nothing is being written, so all of it can go
  if (ring_.empty()) {
    if (eof_ && !finished_ && !fault.blackhole) {
      finished_ = true;
      boost::system::error_code ignored;
      to_.shutdown(net::socket_base::shutdown_send, ignored);
      owner_.pump_finished();
    }
    return;
  }
  const Clock::time_point now = Clock::now();
  if (ring_.front().due > now) {
    wait_until(ring_.front().due);
    return;
  }
  size_t n = ring_.unsent().size();
  if (bucket_.limited()) {
    n = std::min(n, static_cast<size_t>(bucket_.burst()));
    if (bucket_.available(now) < n) {
      wait_until(now + bucket_.wait_for(n, now));
      return;
    }
    bucket_.take(n);
  }
  writing_ = true;
  net::async_write(to_, net::buffer(ring_.unsent().data(), n),
                   with_memory(write_memory_, [self = owner_.shared_from_this(), this](
                                                  const boost::system::error_code& ec,
                                                  size_t written) { on_write(ec, written); }));
}

void Pump::on_write(const boost::system::error_code& ec, size_t n) {
  writing_ = false;
  if (owner_.closed()) return;
  if (ec) {
    owner_.abort();
    return;
  }
  if (direction_ == Direction::kUp) {
    owner_.counters().up(n);
  } else {
    owner_.counters().down(n);
  }
  ring_.consume(n);
  write();
  read();
}

void Pump::wait_until(Clock::time_point when) {
  waiting_ = true;
  timer_.expires_at(when);
  timer_.async_wait(with_memory(
      timer_memory_,
      [self = owner_.shared_from_this(), this](const boost::system::error_code&) { on_timer(); }));
}

void Pump::on_timer() {
  waiting_ = false;
  if (owner_.closed()) return;
  write();
}

}  // namespace stampede::local::internal
