// Test-only: shared helpers for the proxy tests: starting a proxy, endpoints for test backends,
// deterministic payloads, polling with a bound.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "targets/local/proxy/service_proxy.h"
#include "targets/local/proxy/testing/test_backend.h"
#include "targets/local/proxy/testing/test_socket.h"

namespace stampede::local::testing {

// Starts a proxy on 127.0.0.1:0; fails the test (and returns null) when it cannot.
std::unique_ptr<ServiceProxy> start_proxy(const std::string& name = "svc");

// The endpoint of a backend, named `pod`.
Endpoint endpoint_of(const TestBackend& backend, const std::string& pod);
Endpoint endpoint_at(uint16_t port, const std::string& pod);

// n pseudo-random bytes (every byte value occurs), the same for the same seed.
std::string payload(size_t n, uint32_t seed);

// Polls `condition` every 2 ms for up to `limit`; returns whether it became true.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(10));

// Sends `message` and reads back as many bytes (an echo round trip); returns how long it took.
std::chrono::duration<double, std::milli> round_trip(TestSocket& socket,
                                                     const std::string& message);

}  // namespace stampede::local::testing
