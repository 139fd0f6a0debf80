#include "targets/local/proxy/chunk_ring.h"

#include <algorithm>
#include <cassert>

namespace stampede::local::internal {

ChunkRing::ChunkRing(size_t capacity, size_t max_chunks)
    : capacity_(capacity),
      max_chunks_(max_chunks),
      buffer_(std::make_unique<char[]>(capacity)),
      chunks_(std::make_unique<Chunk[]>(max_chunks)) {}

std::span<char> ChunkRing::free_space(size_t chunk_limit) {
  if (count_ >= std::min(chunk_limit, max_chunks_)) return {};
  if (count_ == 0) return {buffer_.get(), capacity_};
  // Chunks are laid out in order from the front's offset. Either they form one run
  // [first, end) and the free bytes are [end, capacity) and [0, first), or the run wrapped and
  // the free bytes are [end, first). A chunk never straddles the end of the buffer.
  const Chunk& back = at(count_ - 1);
  const size_t first = front().offset;
  const size_t end = back.offset + back.size;
  if (end <= first) return {buffer_.get() + end, first - end};
  if (capacity_ - end >= first) return {buffer_.get() + end, capacity_ - end};
  return {buffer_.get(), first};
}

void ChunkRing::push(std::span<const char> bytes, Clock::time_point arrived,
                     Clock::time_point due) {
  assert(!bytes.empty() && count_ < max_chunks_);
  assert(bytes.data() >= buffer_.get() && bytes.data() + bytes.size() <= buffer_.get() + capacity_);
  // The range was free when the read began and only chunks ahead of it left since; the ring may
  // even have emptied, so the offset is the range's, not what free_space() would say now.
  Chunk& chunk = chunks_[(head_ + count_) % max_chunks_];
  chunk = Chunk{static_cast<size_t>(bytes.data() - buffer_.get()), bytes.size(), 0, arrived, due};
  ++count_;
  bytes_ += bytes.size();
}

std::span<const char> ChunkRing::unsent() {
  const Chunk& chunk = front();
  return {buffer_.get() + chunk.offset + chunk.sent, chunk.size - chunk.sent};
}

void ChunkRing::consume(size_t n) {
  Chunk& chunk = front();
  assert(n <= chunk.size - chunk.sent);
  chunk.sent += n;
  if (chunk.sent < chunk.size) return;
  bytes_ -= chunk.size;
  head_ = (head_ + 1) % max_chunks_;
  --count_;
}

void ChunkRing::clear() {
  head_ = 0;
  count_ = 0;
  bytes_ = 0;
}

}  // namespace stampede::local::internal
