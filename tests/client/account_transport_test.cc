// The client's gRPC transport against the real confidant-relay binary: an
// unreachable relay, wrong credentials and the relay's errors surfaced, the
// way through an HTTP CONNECT proxy that no no_proxy variable bypasses, and
// the options it refuses.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "client/grpc_transport.h"
#include "client/transport.h"
#include "gtest/gtest.h"
#include "tests/client/account_fixture.h"

namespace confidant::client::account_testing {
namespace {

// A minimal HTTP CONNECT proxy on 127.0.0.1 (like Tor's HTTPTunnelPort) that
// records the targets it was asked for and tunnels to them.
class ConnectProxy {
 public:
  ConnectProxy() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        listen(listen_fd_, 8) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) !=
            0) {
      ADD_FAILURE() << "proxy cannot listen";
      return;
    }
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~ConnectProxy() {
    stop_ = true;
    if (accept_thread_.joinable()) accept_thread_.join();
    for (std::thread& t : tunnels_) t.join();
    close(listen_fd_);
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
  }
  std::vector<std::string> targets() {
    absl::MutexLock lock(&mu_);
    return targets_;
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd >= 0) tunnels_.emplace_back([this, fd] { Tunnel(fd); });
    }
  }

  void Tunnel(int client) {
    std::string header;
    char c = 0;
    while (header.size() < 4096 &&
           header.find("\r\n\r\n") == std::string::npos &&
           read(client, &c, 1) == 1) {
      header.push_back(c);
    }
    const size_t sp1 = header.find(' ');
    const size_t sp2 = header.find(' ', sp1 + 1);
    const std::string target = header.substr(sp1 + 1, sp2 - sp1 - 1);
    {
      absl::MutexLock lock(&mu_);
      targets_.push_back(target);
    }
    int port = 0;
    const int upstream = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (header.rfind("CONNECT ", 0) == 0 &&
        absl::SimpleAtoi(target.substr(target.rfind(':') + 1), &port)) {
      addr.sin_port = htons(static_cast<uint16_t>(port));
    }
    if (connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) ==
        0) {
      static constexpr char kOk[] =
          "HTTP/1.1 200 Connection established\r\n\r\n";
      if (write(client, kOk, sizeof(kOk) - 1) == sizeof(kOk) - 1) {
        Pump(client, upstream);
      }
    }
    close(upstream);
    close(client);
  }

  void Pump(int a, int b) {
    char buf[16384];
    while (!stop_) {
      pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (poll(fds, 2, 50) <= 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (fds[i].revents == 0) continue;
        const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
        if (n <= 0) return;
        if (write(fds[1 - i].fd, buf, n) != n) return;
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread accept_thread_;
  std::vector<std::thread> tunnels_;  // accept thread only, until joined
  absl::Mutex mu_;
  std::vector<std::string> targets_ ABSL_GUARDED_BY(mu_);
};

TEST_F(AccountTest, ReportsUnreachableRelayThenWorksOnceItRuns) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  const std::string address = relay_->address();
  ASSERT_EQ(relay_->Stop(), 0) << relay_->Log();

  absl::StatusOr<uint32_t> down = tp->transport->GetPreKeyCount();
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(down.status().message().find("relay not reachable at " + address),
            std::string::npos)
      << down.status();
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp->transport->OpenReceive();
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->Read().status().code(), absl::StatusCode::kUnavailable);
  std::unique_ptr<Party> late = NewParty();
  EXPECT_EQ(late->account->RegisterEmployee(org_.access_code(), t0_).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(late->account->registered());

  // The relay comes back (on a new port: RelayProcess binds port 0).
  ASSERT_NO_FATAL_FAILURE(StartRelay());
  std::unique_ptr<RelayTransport> transport = NewTransport();
  const AccountState state = tp->account->state();
  transport->SetCredentials(state.account_id, state.secret.Clone());
  EXPECT_EQ(transport->GetPreKeyCount().value_or(0), 100u);
  std::unique_ptr<Party> retry = NewParty();
  EXPECT_TRUE(retry->account->RegisterEmployee(org_.access_code(), t0_).ok());
}

TEST_F(AccountTest, SurfacesWrongCredentials) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  std::unique_ptr<RelayTransport> anonymous = NewTransport();
  EXPECT_EQ(anonymous->GetPreKeyCount().status().code(),
            absl::StatusCode::kUnauthenticated);
  std::unique_ptr<RelayTransport> wrong = NewTransport();
  wrong->SetCredentials(tp->id(), crypto::SecretBytes(32));
  absl::StatusOr<uint32_t> count = wrong->GetPreKeyCount();
  EXPECT_EQ(count.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(count.status().message().empty());
  absl::StatusOr<std::vector<Envelope>> drained = DrainMailbox(*wrong);
  EXPECT_EQ(drained.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong->Send(emp->id(), "x").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AccountTest, PassesRelayErrorsThrough) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  std::unique_ptr<Party> stranger = NewParty();
  absl::Status denied =
      stranger->account->RegisterEmployee("NOT-A-REAL-CODE", t0_);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied) << denied;
  EXPECT_FALSE(stranger->account->registered());
  EXPECT_EQ(stranger->account->Maintain(t0_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<uint64_t> bad = emp->transport->Send("short", "x");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument)
      << bad.status();
}

TEST_F(AccountTest, ReachesTheRelayThroughAnHttpConnectProxy) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  GrpcTransportOptions options;
  options.address = relay_->address();
  options.insecure = true;
  {
    ConnectProxy proxy;
    options.http_proxy = proxy.url();
    absl::StatusOr<std::unique_ptr<RelayTransport>> proxied =
        CreateGrpcTransport(options);
    ASSERT_TRUE(proxied.ok()) << proxied.status();
    const AccountState state = tp->account->state();
    (*proxied)->SetCredentials(state.account_id, state.secret.Clone());
    absl::StatusOr<uint32_t> count = (*proxied)->GetPreKeyCount();
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(*count, 100u);
    EXPECT_EQ(proxy.targets(), std::vector<std::string>{relay_->address()});
  }
  // With the proxy gone the relay is unreachable, not silently dialled.
  absl::StatusOr<std::unique_ptr<RelayTransport>> orphan =
      CreateGrpcTransport(options);
  ASSERT_TRUE(orphan.ok()) << orphan.status();
  EXPECT_EQ((*orphan)->GetPreKeyCount().status().code(),
            absl::StatusCode::kUnavailable);
}

// An employer's machine often names internal hosts in no_proxy; with a proxy
// given (Tor), the client must still never connect directly: the variables
// gRPC obeys are cleared at the program's start, and a proxy is refused
// while one is set.
TEST_F(AccountTest, NoProxyVariablesNeverBypassTheProxy) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  const AccountState state = tp->account->state();
  for (const char* variable : {"no_proxy", "no_grpc_proxy", "NO_PROXY"}) {
    for (const std::string& value :
         {std::string("127.0.0.1"), std::string("*"), relay_->address(),
          std::string("localhost,127.0.0.0/8,127.0.0.1")}) {
      ASSERT_EQ(setenv(variable, value.c_str(), 1), 0);
      ConnectProxy proxy;
      GrpcTransportOptions options;
      options.address = relay_->address();
      options.insecure = true;
      options.http_proxy = proxy.url();
      absl::StatusOr<std::unique_ptr<RelayTransport>> proxied =
          CreateGrpcTransport(options);
      if (std::string_view(variable) != "NO_PROXY") {  // gRPC obeys these
        // A program that did not clear them gets no proxied transport...
        EXPECT_EQ(proxied.status().code(),
                  absl::StatusCode::kFailedPrecondition)
            << variable;
        EXPECT_NE(proxied.status().message().find(variable), std::string::npos)
            << proxied.status();
        // ...and one that did, as main() does first, gets one.
        ClearProxyExceptions();
        EXPECT_EQ(std::getenv(variable), nullptr);
        proxied = CreateGrpcTransport(options);
      }
      ASSERT_TRUE(proxied.ok()) << proxied.status();
      (*proxied)->SetCredentials(state.account_id, state.secret.Clone());
      absl::StatusOr<uint32_t> count = (*proxied)->GetPreKeyCount();
      EXPECT_TRUE(count.ok())
          << variable << "=" << value << ": " << count.status();
      EXPECT_EQ(proxy.targets(), std::vector<std::string>{relay_->address()})
          << variable << "=" << value << " let the client connect directly";
      unsetenv(variable);
    }
  }
}

TEST(GrpcTransportOptionsTest, RefusesPlaintextOffLoopbackAndBadInput) {
  GrpcTransportOptions options;
  options.address = "relay.example.org:7443";
  options.insecure = true;
  absl::StatusOr<std::unique_ptr<RelayTransport>> t =
      CreateGrpcTransport(options);
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("refusing plaintext"), std::string::npos)
      << t.status();
  options.address = "10.0.0.1:7443";
  EXPECT_EQ(CreateGrpcTransport(options).status().code(),
            absl::StatusCode::kInvalidArgument);

  for (const char* loopback :
       {"127.0.0.1:7443", "localhost:7443", "[::1]:7443"}) {
    options.address = loopback;
    EXPECT_TRUE(CreateGrpcTransport(options).ok()) << loopback;
  }
  options.insecure = false;
  options.address = "relay.example.org:7443";
  EXPECT_TRUE(CreateGrpcTransport(options).ok());  // TLS, default roots

  for (const char* bad :
       {"relay.example.org", "relay:0", ":7443", "[::1]7443", "relay:70000"}) {
    options.address = bad;
    EXPECT_EQ(CreateGrpcTransport(options).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  options.address = "relay.example.org:7443";
  options.tls_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(CreateGrpcTransport(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.tls_ca_file.clear();
  options.http_proxy = "socks5://127.0.0.1:9050";
  EXPECT_EQ(CreateGrpcTransport(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.http_proxy = "http://127.0.0.1:8118";
  EXPECT_TRUE(CreateGrpcTransport(options).ok());
}

}  // namespace
}  // namespace confidant::client::account_testing
