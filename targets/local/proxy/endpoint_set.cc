#include "targets/local/proxy/endpoint_set.h"

#include <boost/asio/ip/address.hpp>
#include <utility>

namespace stampede::local::internal {

EndpointSet::EndpointSet() : backends_(std::make_shared<const std::vector<Backend>>()) {}

void EndpointSet::set(std::vector<Endpoint> endpoints) {
  auto backends = std::make_shared<std::vector<Backend>>();
  backends->reserve(endpoints.size());
  for (Endpoint& endpoint : endpoints) {
    Backend backend;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(endpoint.host, ec);
    backend.valid = !ec && endpoint.port != 0;
    if (backend.valid) backend.address = {address, endpoint.port};
    backend.endpoint = std::move(endpoint);
    backends->push_back(std::move(backend));
  }
  std::lock_guard lock(mu_);
  backends_ = std::move(backends);
}

std::vector<Endpoint> EndpointSet::list() const {
  BackendList backends;
  {
    std::lock_guard lock(mu_);
    backends = backends_;
  }
  std::vector<Endpoint> out;
  out.reserve(backends->size());
  for (const Backend& backend : *backends) out.push_back(backend.endpoint);
  return out;
}

BackendPick EndpointSet::pick() {
  std::lock_guard lock(mu_);
  BackendPick pick{backends_, 0};
  if (!backends_->empty()) pick.first = next_++ % backends_->size();
  return pick;
}

}  // namespace stampede::local::internal
