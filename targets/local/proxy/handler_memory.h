// HandlerMemory: room for the state of one asynchronous operation at a time, so that an
// operation started again and again (a pump's read, its write, its timer) reuses one block
// instead of the heap. Asio frees an operation's memory before it calls the operation's
// handler, so the next operation started from that handler finds the block free again; a busy
// or too small block falls back to the heap. Boost 1.74 has no bind_allocator, hence
// with_memory(). Not thread-safe: the io thread only. The memory must outlive the operations
// using it (a pump's operations keep their connection, and so the pump, alive).
#pragma once

#include <cstddef>
#include <new>
#include <utility>

namespace stampede::local::internal {

class HandlerMemory {
 public:
  HandlerMemory() = default;
  HandlerMemory(const HandlerMemory&) = delete;
  HandlerMemory& operator=(const HandlerMemory&) = delete;

  void* allocate(size_t size) {
    if (!in_use_ && size <= sizeof(storage_)) {
      in_use_ = true;
      return &storage_;
    }
    return ::operator new(size);
  }
  void deallocate(void* p) {
    if (p == &storage_) {
      in_use_ = false;
    } else {
      ::operator delete(p);
    }
  }

 private:
  alignas(std::max_align_t) unsigned char storage_[512];
  bool in_use_ = false;
};

// The allocator asio finds on a handler wrapped by with_memory().
template <typename T>
class HandlerAllocator {
 public:
  using value_type = T;
  explicit HandlerAllocator(HandlerMemory& memory) : memory_(&memory) {}
  template <typename U>
  HandlerAllocator(const HandlerAllocator<U>& other) noexcept  // NOLINT: rebinding
      : memory_(other.memory_) {}

  T* allocate(size_t n) { return static_cast<T*>(memory_->allocate(sizeof(T) * n)); }
  void deallocate(T* p, size_t) { memory_->deallocate(p); }
  template <typename U>
  bool operator==(const HandlerAllocator<U>& other) const noexcept {
    return memory_ == other.memory_;
  }

 private:
  template <typename>
  friend class HandlerAllocator;
  HandlerMemory* memory_;
};

// A completion handler whose operations allocate from `memory`.
template <typename Handler>
class WithMemory {
 public:
  using allocator_type = HandlerAllocator<Handler>;

  WithMemory(HandlerMemory& memory, Handler handler)
      : memory_(&memory), handler_(std::move(handler)) {}
  allocator_type get_allocator() const noexcept { return allocator_type(*memory_); }

  template <typename... Args>
  void operator()(Args&&... args) {
    handler_(std::forward<Args>(args)...);
  }

 private:
  HandlerMemory* memory_;
  Handler handler_;
};

template <typename Handler>
WithMemory<std::decay_t<Handler>> with_memory(HandlerMemory& memory, Handler&& handler) {
  return WithMemory<std::decay_t<Handler>>(memory, std::forward<Handler>(handler));
}

}  // namespace stampede::local::internal
