// ChunkRing: one direction's bounded buffer in the proxy. Bytes read from one socket and not yet
// written to the other, kept as a FIFO of chunks in one fixed buffer allocated at construction
// (nothing is allocated afterwards). Each chunk is a contiguous range with the time it arrived
// and the time it may be sent (the latency fault delays that). Not thread-safe: one io thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>

namespace stampede::local::internal {

class ChunkRing {
 public:
  using Clock = std::chrono::steady_clock;

  struct Chunk {
    size_t offset = 0;  // in the buffer
    size_t size = 0;
    size_t sent = 0;  // bytes of it already written
    Clock::time_point arrived;
    Clock::time_point due;
  };

  // capacity: buffer bytes (> 0); max_chunks: the most chunks ever queued (> 0).
  ChunkRing(size_t capacity, size_t max_chunks);
  ChunkRing(const ChunkRing&) = delete;
  ChunkRing& operator=(const ChunkRing&) = delete;

  // The largest contiguous free range to read into next; empty when `chunk_limit` (at most
  // max_chunks) chunks are queued already or no byte is free.
  std::span<char> free_space(size_t chunk_limit);
  // Queues `bytes` as a new chunk: a prefix of a range free_space() returned. Only consume()
  // and clear() may come between the two (a read in flight keeps its range), never a push().
  void push(std::span<const char> bytes, Clock::time_point arrived, Clock::time_point due);

  bool empty() const { return count_ == 0; }
  size_t chunks() const { return count_; }
  size_t bytes() const { return bytes_; }
  // The oldest chunk. Precondition: !empty().
  Chunk& front() { return chunks_[head_]; }
  // The oldest chunk's bytes not written yet. Precondition: !empty().
  std::span<const char> unsent();
  // Marks n of unsent() as written; the chunk leaves the ring when all of it is.
  void consume(size_t n);
  // The i-th oldest chunk (i < chunks()), e.g. to move its due time.
  Chunk& at(size_t i) { return chunks_[(head_ + i) % max_chunks_]; }
  // Forgets every chunk and byte.
  void clear();

 private:
  const size_t capacity_;
  const size_t max_chunks_;
  std::unique_ptr<char[]> buffer_;
  std::unique_ptr<Chunk[]> chunks_;  // a circular array of max_chunks_ records
  size_t head_ = 0;                  // index of the oldest chunk
  size_t count_ = 0;
  size_t bytes_ = 0;  // queued bytes, sent or not, of chunks still in the ring
};

}  // namespace stampede::local::internal
