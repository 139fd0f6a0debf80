// The environment every shop process reads at start; here the admin endpoint's address.
#include "shop-reference/common/service_env.h"

#include <gtest/gtest.h>

#include "shop-reference/common/testing/env_of.h"

namespace shop {
namespace {

using testing::env_of;

TEST(ServiceEnv, AdminListenAddrIsLoopbackUnlessSet) {
  EXPECT_EQ(read_service_env(env_of({}), 3550).value().admin_listen_addr, "127.0.0.1");
  EXPECT_EQ(read_service_env(env_of({{"ADMIN_LISTEN_ADDR", ""}}), 3550).value().admin_listen_addr,
            "127.0.0.1");
  // LISTEN_ADDR is the main port's and does not move the admin endpoint.
  EXPECT_EQ(read_service_env(env_of({{"LISTEN_ADDR", "0.0.0.0"}}), 3550).value().admin_listen_addr,
            "127.0.0.1");
}

TEST(ServiceEnv, AdminListenAddrTakesIpv4AndIpv6Literals) {
  for (const char* address : {"0.0.0.0", "::", "10.1.2.3", "::1", "fd00::5"}) {
    auto s = read_service_env(env_of({{"ADMIN_LISTEN_ADDR", address}}), 3550);
    ASSERT_TRUE(s.ok()) << address << ": " << s.error().message();
    EXPECT_EQ(s.value().admin_listen_addr, address);
  }
}

TEST(ServiceEnv, ABadAdminListenAddrIsAnErrorNamingTheVariable) {
  for (const char* address : {"localhost", "0.0.0.0:9465", "[::]", "300.1.1.1", "pod ip"}) {
    auto s = read_service_env(env_of({{"ADMIN_LISTEN_ADDR", address}}), 3550);
    ASSERT_FALSE(s.ok()) << address;
    EXPECT_EQ(s.error().message(),
              std::string("environment ADMIN_LISTEN_ADDR: expected an IPv4 or IPv6 address (e.g. "
                          "127.0.0.1, 0.0.0.0, ::), got '") +
                  address + "'");
  }
}

}  // namespace
}  // namespace shop
