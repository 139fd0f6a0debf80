#include "engine/exec/segment.h"

#include <algorithm>

namespace stampede {
namespace {

bool valid(int index, int count) {
  return count >= 1 && index >= 0 && index < count;
}

}  // namespace

int64_t segment_share(int64_t total, int index, int count) {
  if (!valid(index, count) || total <= 0) return 0;
  const int64_t q = total / count;
  const int64_t r = total % count;
  return q + (index < r ? 1 : 0);
}

int64_t segment_offset(int64_t total, int index, int count) {
  if (!valid(index, count) || total <= 0) return 0;
  const int64_t q = total / count;
  const int64_t r = total % count;
  // index·q <= total, so this cannot overflow.
  return index * q + std::min<int64_t>(index, r);
}

bool segment_owns(int64_t k, int index, int count) {
  if (!valid(index, count) || k < 0) return false;
  return k % count == index;
}

int64_t segment_global_index(int64_t j, int index, int count) {
  if (!valid(index, count) || j < 0) return 0;
  return j * count + index;
}

}  // namespace stampede
