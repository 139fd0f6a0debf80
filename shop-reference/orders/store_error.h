// Errors of the shop's stores (orders, payments, audit), carrying a kind that a gRPC handler maps
// straight onto a status code with to_grpc_status().
//
// StoreResult<T> / StoreStatus mirror stampede::Result / stampede::Status (ok(), value(),
// error()); StoreError::to_error() drops the kind where only a message is wanted (main()).
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <utility>
#include <variant>

#include "common/result.h"

namespace shop {

// What went wrong, in gRPC's terms. kUnavailable: the database is busy/locked or cannot be
// opened (retryable); kInternal: anything the caller cannot fix (corrupt rows, SQL errors).
enum class ErrorKind {
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kInvalidArgument,
  kUnavailable,
  kInternal,
};

// "not_found", "already_exists", ... (for logs and tests).
const char* error_kind_name(ErrorKind kind);

// A one-line message plus its kind. Value type, copyable.
class StoreError {
 public:
  StoreError(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // Same kind, message prefixed by "context: ".
  StoreError with_context(const std::string& context) const {
    return StoreError(kind_, context + ": " + message_);
  }
  // The message alone, as the project-wide error value.
  stampede::Error to_error() const { return stampede::Error(message_); }

 private:
  ErrorKind kind_;
  std::string message_;
};

// The gRPC status for an error: kind -> code, message -> details.
grpc::Status to_grpc_status(const StoreError& error);
// The gRPC code alone.
grpc::StatusCode to_grpc_code(ErrorKind kind);

// Either a T or a StoreError. Check ok() before value().
template <typename T>
class StoreResult {
 public:
  StoreResult(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  StoreResult(StoreError error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const StoreError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, StoreError> v_;
};

// Success or a StoreError, for operations with no value.
class StoreStatus {
 public:
  StoreStatus() = default;
  StoreStatus(StoreError error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const StoreError& error() const { return error_; }

 private:
  StoreError error_{ErrorKind::kInternal, ""};
  bool ok_ = true;
};

}  // namespace shop
