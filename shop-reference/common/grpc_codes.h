// Names of gRPC status codes as metric label values.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

namespace shop {

// "ok", "unavailable", "deadline_exceeded", ... (lower snake case of the code's name).
std::string grpc_code_name(grpc::StatusCode code);

}  // namespace shop
