// Pump: one direction of a proxied connection (client -> backend or backend -> client). Reads
// into its ChunkRing and writes the oldest chunk to the other socket, applying the fault on the
// way: latency and jitter (a chunk is held until its due time; chunks keep their order),
// bandwidth (a token bucket per pump), blackhole (read and drop). Back-pressure: without
// latency one chunk at a time (the next read starts when the last chunk is written); with
// latency up to kDelayedChunks chunks in the ring's fixed buffer, like bytes in flight on a slow
// link. On EOF it forwards a half-close (shutdown(SHUT_WR)) once everything read is written.
//
// Owned by its Connection and run on the proxy's io thread only; its pending operations hold
// the Connection alive. Errors go to Connection::abort(); the end of the stream to
// Connection::pump_finished().
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>

#include "targets/local/proxy/chunk_ring.h"
#include "targets/local/proxy/handler_memory.h"
#include "targets/local/proxy/token_bucket.h"

namespace stampede::local::internal {

class Connection;

// Buffer bytes per direction of each connection, allocated once when the connection starts.
inline constexpr size_t kPumpBufferBytes = 32 * 1024;
// The most chunks one direction holds while the latency fault delays them.
inline constexpr size_t kDelayedChunks = 16;

enum class Direction { kUp, kDown };  // up: client -> backend; down: backend -> client

class Pump {
 public:
  Pump(Connection& owner, Direction direction, boost::asio::ip::tcp::socket& from,
       boost::asio::ip::tcp::socket& to);
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  // Starts reading. Call once, after both sockets are connected.
  void start();
  // The fault changed: re-time what is queued (a lower latency releases it sooner), drop it
  // under a blackhole, and resume where the old fault held things back.
  void fault_changed();
  // Cancels the pump's timer; the owner closes the sockets.
  void stop();
  // True once the end of the stream was forwarded.
  bool finished() const { return finished_; }

 private:
  void read();
  void on_read(const boost::system::error_code& ec, size_t n);
  void write();
  void on_write(const boost::system::error_code& ec, size_t n);
  void wait_until(ChunkRing::Clock::time_point when);
  void on_timer();
  // Catches up with a fault changed since the pump last looked (the bandwidth, due times).
  void sync_fault();
  ChunkRing::Clock::duration delay();

  Connection& owner_;
  const Direction direction_;
  boost::asio::ip::tcp::socket& from_;
  boost::asio::ip::tcp::socket& to_;
  ChunkRing ring_;
  TokenBucket bucket_;
  boost::asio::steady_timer timer_;
  // One block per kind of operation: each kind has at most one in flight.
  HandlerMemory read_memory_;
  HandlerMemory write_memory_;
  HandlerMemory timer_memory_;
  uint64_t fault_generation_ = UINT64_MAX;  // of the fault the bucket and due times were set for
  const char* reading_into_ = nullptr;      // where the read in flight puts its bytes
  bool reading_ = false;
  bool writing_ = false;
  bool waiting_ = false;  // the timer is armed
  bool eof_ = false;      // the source sent its FIN
  bool finished_ = false;
};

}  // namespace stampede::local::internal
