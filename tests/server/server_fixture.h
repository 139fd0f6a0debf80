#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "tests/server/server.h"
#include "tests/server/test_client.h"

namespace stampede::testserver {

// Starts an in-process Server on an ephemeral loopback port for each test and stops it after.
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    boost::system::error_code ec;
    ServerOptions options;
    options.threads = 2;
    server_ = Server::open(options, ec);
    ASSERT_TRUE(server_) << ec.message();
    server_->start();
  }

  std::uint16_t port() const { return server_->endpoint().port(); }

  static nlohmann::json json_of(const TestClient::Response& response) {
    return nlohmann::json::parse(response.body());
  }

  std::unique_ptr<Server> server_;
};

}  // namespace stampede::testserver
