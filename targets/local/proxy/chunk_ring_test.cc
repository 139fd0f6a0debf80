// ChunkRing: FIFO order, bounded space, wrap-around without a chunk straddling the end.
#include "targets/local/proxy/chunk_ring.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace stampede::local::internal {
namespace {

using Clock = ChunkRing::Clock;

// Reads `text` into the ring as one chunk; returns false when it does not fit.
bool put(ChunkRing& ring, const std::string& text, size_t limit = 100) {
  std::span<char> space = ring.free_space(limit);
  if (space.size() < text.size()) return false;
  std::memcpy(space.data(), text.data(), text.size());
  ring.push(space.first(text.size()), Clock::now(), Clock::now());
  return true;
}

std::string take_front(ChunkRing& ring) {
  std::span<const char> bytes = ring.unsent();
  std::string out(bytes.data(), bytes.size());
  ring.consume(bytes.size());
  return out;
}

TEST(ProxyChunkRing, StartsEmptyWithTheWholeBufferFree) {
  ChunkRing ring(64, 4);
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.free_space(4).size(), 64u);
  EXPECT_EQ(ring.bytes(), 0u);
}

TEST(ProxyChunkRing, KeepsChunksInOrder) {
  ChunkRing ring(64, 4);
  ASSERT_TRUE(put(ring, "one"));
  ASSERT_TRUE(put(ring, "two"));
  ASSERT_TRUE(put(ring, "three"));
  EXPECT_EQ(ring.chunks(), 3u);
  EXPECT_EQ(ring.bytes(), 11u);
  EXPECT_EQ(take_front(ring), "one");
  EXPECT_EQ(take_front(ring), "two");
  EXPECT_EQ(take_front(ring), "three");
  EXPECT_TRUE(ring.empty());
}

TEST(ProxyChunkRing, PartialWritesLeaveTheRestOfTheChunk) {
  ChunkRing ring(64, 4);
  ASSERT_TRUE(put(ring, "abcdef"));
  ring.consume(2);
  EXPECT_EQ(ring.chunks(), 1u);
  EXPECT_EQ(std::string(ring.unsent().data(), ring.unsent().size()), "cdef");
  ring.consume(4);
  EXPECT_TRUE(ring.empty());
}

TEST(ProxyChunkRing, TheChunkLimitBoundsReads) {
  ChunkRing ring(64, 4);
  ASSERT_TRUE(put(ring, "a", 1));
  EXPECT_TRUE(ring.free_space(1).empty());  // one chunk at a time: wait for the write
  EXPECT_FALSE(ring.free_space(4).empty());
  ASSERT_TRUE(put(ring, "b"));
  ASSERT_TRUE(put(ring, "c"));
  ASSERT_TRUE(put(ring, "d"));
  EXPECT_TRUE(ring.free_space(100).empty());  // max_chunks reached
}

TEST(ProxyChunkRing, WrapsAroundWithoutSplittingAChunk) {
  ChunkRing ring(16, 8);
  ASSERT_TRUE(put(ring, "0123456789"));  // [0, 10)
  ASSERT_TRUE(put(ring, "abcd"));        // [10, 14)
  EXPECT_EQ(take_front(ring), "0123456789");
  // Free: [14, 16) and [0, 10): the larger run comes first.
  std::span<char> space = ring.free_space(8);
  EXPECT_EQ(space.size(), 10u);
  ASSERT_TRUE(put(ring, "wrapped!"));        // [0, 8): the run wrapped
  EXPECT_EQ(ring.free_space(8).size(), 2u);  // [8, 10) up to the front chunk
  EXPECT_EQ(take_front(ring), "abcd");
  EXPECT_EQ(take_front(ring), "wrapped!");
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.free_space(8).size(), 16u);
}

TEST(ProxyChunkRing, FullWhenEveryByteIsQueued) {
  ChunkRing ring(8, 8);
  ASSERT_TRUE(put(ring, "12345678"));
  EXPECT_TRUE(ring.free_space(8).empty());
  ring.consume(3);  // a partly written chunk still holds its bytes
  EXPECT_TRUE(ring.free_space(8).empty());
  ring.consume(5);
  EXPECT_EQ(ring.free_space(8).size(), 8u);
}

TEST(ProxyChunkRing, AReadInFlightKeepsItsRangeWhenTheRingEmpties) {
  // The pump asks for space, starts a read, and the write side empties the ring meanwhile: the
  // chunk is where the read put it, not at the start of the buffer.
  ChunkRing ring(64, 4);
  ASSERT_TRUE(put(ring, "first"));
  std::span<char> space = ring.free_space(4);
  ASSERT_EQ(space.data() - ring.free_space(4).data(), 0);
  EXPECT_EQ(take_front(ring), "first");
  std::memcpy(space.data(), "second", 6);
  ring.push(space.first(6), Clock::now(), Clock::now());
  EXPECT_EQ(take_front(ring), "second");
}

TEST(ProxyChunkRing, ClearForgetsEverything) {
  ChunkRing ring(32, 4);
  ASSERT_TRUE(put(ring, "abc"));
  ASSERT_TRUE(put(ring, "def"));
  ring.clear();
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.bytes(), 0u);
  EXPECT_EQ(ring.free_space(4).size(), 32u);
}

TEST(ProxyChunkRing, ManyRoundsKeepTheBytesIntact) {
  // Chunks of varying sizes through a small ring: every byte comes out as it went in.
  ChunkRing ring(100, 5);
  std::string sent, received;
  unsigned seed = 7;
  for (int round = 0; round < 2000; ++round) {
    seed = seed * 1103515245 + 12345;
    const size_t size = 1 + (seed >> 16) % 37;
    std::span<char> space = ring.free_space(5);
    if (space.size() >= size && (seed & 1)) {
      for (size_t i = 0; i < size; ++i) space[i] = static_cast<char>('a' + (sent.size() + i) % 26);
      sent.append(space.data(), size);
      ring.push(space.first(size), Clock::now(), Clock::now());
    } else if (!ring.empty()) {
      std::span<const char> bytes = ring.unsent();
      const size_t n = std::min<size_t>(bytes.size(), 1 + (seed >> 8) % 20);
      received.append(bytes.data(), n);
      ring.consume(n);
    }
  }
  while (!ring.empty()) received += take_front(ring);
  EXPECT_GT(sent.size(), 5000u);
  EXPECT_EQ(received, sent);
}

}  // namespace
}  // namespace stampede::local::internal
