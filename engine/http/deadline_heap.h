// DeadlineHeap<T>: an indexed binary min-heap of T* ordered by T::deadline, so per-request
// deadlines can be added and removed in O(log n) and only the earliest needs a loop timer.
//
// T provides `Nanos deadline` and `size_t heap_index` (kNotQueued when outside the heap, which
// the heap maintains). Holds pointers, owns nothing; allocation-free once the vector has grown.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/core/clock.h"

namespace stampede {

template <typename T>
class DeadlineHeap {
 public:
  static constexpr size_t kNotQueued = SIZE_MAX;

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  // The item with the earliest deadline; the heap must not be empty.
  T* top() const { return items_.front(); }
  static bool contains(const T* item) { return item->heap_index != kNotQueued; }

  // Adds an item that is not queued yet.
  void push(T* item) {
    item->heap_index = items_.size();
    items_.push_back(item);
    sift_up(item->heap_index);
  }

  // Removes a queued item; a no-op for one that is not queued.
  void remove(T* item) {
    size_t i = item->heap_index;
    if (i == kNotQueued) return;
    item->heap_index = kNotQueued;
    T* last = items_.back();
    items_.pop_back();
    if (i == items_.size()) return;
    place(i, last);
    sift_down(i);
    sift_up(i);
  }

  // Removes and returns the earliest item; the heap must not be empty.
  T* pop() {
    T* item = items_.front();
    remove(item);
    return item;
  }

 private:
  void place(size_t i, T* item) {
    items_[i] = item;
    item->heap_index = i;
  }
  void sift_up(size_t i) {
    T* item = items_[i];
    while (i > 0) {
      size_t parent = (i - 1) / 2;
      if (items_[parent]->deadline <= item->deadline) break;
      place(i, items_[parent]);
      i = parent;
    }
    place(i, item);
  }
  void sift_down(size_t i) {
    T* item = items_[i];
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= items_.size()) break;
      if (child + 1 < items_.size() && items_[child + 1]->deadline < items_[child]->deadline) {
        ++child;
      }
      if (item->deadline <= items_[child]->deadline) break;
      place(i, items_[child]);
      i = child;
    }
    place(i, item);
  }

  std::vector<T*> items_;
};

}  // namespace stampede
