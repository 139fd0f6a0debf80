#include "shop-reference/common/grpc_codes.h"

namespace shop {

std::string grpc_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "ok";
    case grpc::CANCELLED:
      return "cancelled";
    case grpc::UNKNOWN:
      return "unknown";
    case grpc::INVALID_ARGUMENT:
      return "invalid_argument";
    case grpc::DEADLINE_EXCEEDED:
      return "deadline_exceeded";
    case grpc::NOT_FOUND:
      return "not_found";
    case grpc::ALREADY_EXISTS:
      return "already_exists";
    case grpc::PERMISSION_DENIED:
      return "permission_denied";
    case grpc::RESOURCE_EXHAUSTED:
      return "resource_exhausted";
    case grpc::FAILED_PRECONDITION:
      return "failed_precondition";
    case grpc::ABORTED:
      return "aborted";
    case grpc::OUT_OF_RANGE:
      return "out_of_range";
    case grpc::UNIMPLEMENTED:
      return "unimplemented";
    case grpc::INTERNAL:
      return "internal";
    case grpc::UNAVAILABLE:
      return "unavailable";
    case grpc::DATA_LOSS:
      return "data_loss";
    case grpc::UNAUTHENTICATED:
      return "unauthenticated";
    default:
      return "code_" + std::to_string(static_cast<int>(code));
  }
}

}  // namespace shop
