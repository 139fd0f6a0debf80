// The grpc probe: grpc.health.v1.Health/Check on a fresh channel per attempt, as the kubelet
// does, so a restarted server is seen at once (no reconnect backoff carried over).
#include <grpcpp/grpcpp.h>

#include <chrono>

#include "health.grpc.pb.h"
#include "targets/local/probe/probe_runner.h"

namespace stampede::local {

ProbeOutcome run_grpc_probe(const ProbeSpec& spec, const ProbeTarget& target) {
  grpc::ChannelArguments args;
  // A private subchannel pool: no connection state shared with other probes or channels.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  std::string address = target.host + ":" + std::to_string(target.port);
  if (target.host.find(':') != std::string::npos) {
    address = "[" + target.host + "]:" + std::to_string(target.port);
  }
  auto channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(spec.timeout_seconds));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(spec.grpc_service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      return {false, "timeout: health rpc did not complete within " +
                         std::to_string(spec.timeout_seconds) + "s"};
    }
    return {false, "rpc error: code = " + std::to_string(status.error_code()) +
                       " desc = " + status.error_message()};
  }
  if (response.status() == grpc::health::v1::HealthCheckResponse::SERVING) return {true, "SERVING"};
  return {false, "service unhealthy (responded with \"" +
                     grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) +
                     "\")"};
}

}  // namespace stampede::local
