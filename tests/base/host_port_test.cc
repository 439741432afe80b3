#include "base/host_port.h"

#include <gtest/gtest.h>

#include <string>

namespace confidant::base {
namespace {

TEST(HostPortTest, SplitsNamesV4AndBracketedV6) {
  auto a = ParseHostPort("relay.example.org:7443");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "relay.example.org");
  EXPECT_EQ(a->port, 7443);
  auto b = ParseHostPort("127.0.0.1:0");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->host, "127.0.0.1");
  EXPECT_EQ(b->port, 0);
  auto c = ParseHostPort("[::1]:65535");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 65535);
}

TEST(HostPortTest, RefusesMalformedAddressesNamingThem) {
  for (const char* bad : {"", "relay", ":7443", "relay:", "relay:x",
                          "relay:65536", "relay:-1", "::1:7443", "[::1]",
                          "[::1]7443", "[::1:7443", "[]:7443", "relay:74 43"}) {
    auto parsed = ParseHostPort(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(std::string("'") + bad + "'"),
              std::string::npos)
        << parsed.status();
  }
}

TEST(HostPortTest, LoopbackIsLocalhostV6OneAndAllOf127) {
  for (const char* host : {"localhost", "::1", "127.0.0.1", "127.8.9.10"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"", "relay.example.org", "10.0.0.1", "::",
                           "1.127.0.0", "localhost.example.org", "128.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace confidant::base
