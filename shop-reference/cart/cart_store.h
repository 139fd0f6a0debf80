// CartService storage: the CartStore interface, its error model and argument checks.
//
// Implementations: MemoryCartStore (memory_cart_store.h) and RedisCartStore
// (redis_cart_store.h). Both keep one cart per user as product_id -> quantity, and both return
// a cart's lines sorted by product_id, so the order is stable whatever the backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace shop {

// Why a cart operation failed. Each kind maps onto one gRPC status code.
enum class CartErrorKind {
  kInvalidArgument,  // INVALID_ARGUMENT: empty user_id/product_id, quantity <= 0 or too large
  kUnavailable,      // UNAVAILABLE: the backend is unreachable or timed out; retrying may work
  kInternal,         // INTERNAL: the backend answered something unexpected (e.g. corrupt data)
};

// "invalid_argument", "unavailable", "internal".
const char* to_string(CartErrorKind kind);

class CartError {
 public:
  CartError(CartErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  CartErrorKind kind() const { return kind_; }
  // One line naming what was wrong, e.g. "add_item: quantity must be > 0, got 0".
  const std::string& message() const { return message_; }

 private:
  CartErrorKind kind_;
  std::string message_;
};

// A value or a CartError; check ok() before value().
template <typename T>
class CartResult {
 public:
  CartResult(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  CartResult(CartError error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const CartError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, CartError> v_;
};

// Success, or a CartError.
class CartStatus {
 public:
  CartStatus() = default;
  CartStatus(CartError error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return !error_.has_value(); }
  const CartError& error() const { return *error_; }

 private:
  std::optional<CartError> error_;
};

// One line of a cart (hipstershop::CartItem's fields).
struct CartLine {
  std::string product_id;
  int32_t quantity = 0;
  bool operator==(const CartLine&) const = default;
};

// Where carts live. Implementations are thread-safe: every method may be called from many
// gRPC threads at once. The store must outlive all calls into it.
class CartStore {
 public:
  virtual ~CartStore() = default;

  // Adds `quantity` of the product to the user's cart (summing with what is there). Errors:
  // kInvalidArgument (empty ids, quantity <= 0, total past INT32_MAX; cart unchanged),
  // kUnavailable, kInternal.
  virtual CartStatus add_item(std::string_view user_id, std::string_view product_id,
                              int32_t quantity) = 0;
  // The user's cart sorted by product_id; empty when the user has none. Errors:
  // kInvalidArgument (empty user_id), kUnavailable, kInternal.
  virtual CartResult<std::vector<CartLine>> get_cart(std::string_view user_id) = 0;
  // Removes the user's cart (no error when there is none). Errors: kInvalidArgument (empty
  // user_id), kUnavailable, kInternal.
  virtual CartStatus empty_cart(std::string_view user_id) = 0;
  // True when the backend can serve requests now (for health checks); never blocks longer than
  // the backend's timeouts.
  virtual bool healthy() = 0;
};

// Argument checks shared by the implementations; the error names the operation.
CartStatus check_user_id(std::string_view op, std::string_view user_id);
CartStatus check_add_item(std::string_view user_id, std::string_view product_id, int32_t quantity);
// The error for a sum past INT32_MAX (kInvalidArgument).
CartError quantity_overflow_error(std::string_view product_id, int64_t current, int32_t added);

}  // namespace shop
