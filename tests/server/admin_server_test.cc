// The admin server's socket (server/admin_service.h): private modes, one
// server per socket, an idempotent shutdown that removes it, a stale socket
// replaced, and paths it cannot use refused.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "server/admin_service.h"
#include "server/storage/memory_storage.h"
#include "tests/server/admin_service_fixture.h"

namespace confidant::server::admin_testing {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST_F(AdminServiceTest, SocketIsPrivate) {
  EXPECT_EQ(server_->socket_path(), dir_.path() + "/admin/admin.sock");
  EXPECT_EQ(AdminSocketPath(dir_.path() + "/"), server_->socket_path());
  EXPECT_EQ(ModeOf(server_->socket_path()), 0600);
  EXPECT_EQ(ModeOf(dir_.path() + "/admin"), 0700);
}

TEST_F(AdminServiceTest, SecondServerOnTheSameSocketIsRefused) {
  absl::StatusOr<std::unique_ptr<AdminServer>> second =
      AdminServer::Start(dir_.path(), *storage_, clock_, random_);
  EXPECT_TRUE(absl::IsFailedPrecondition(second.status())) << second.status();
  EXPECT_EQ(MustStats().organisations(), 0u);
}

TEST_F(AdminServiceTest, ShutdownIsIdempotentAndRemovesTheSocket) {
  server_->Shutdown();
  server_->Shutdown();
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/admin/admin.sock"));
  v1::GetStatsResponse stats;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  EXPECT_FALSE(stub_->GetStats(&context, v1::GetStatsRequest(), &stats).ok());
}

TEST(AdminServerTest, StartFixesModesAndReplacesAStaleSocket) {
  TempDir dir;
  const std::string admin_dir = dir.path() + "/admin";
  ASSERT_EQ(mkdir(admin_dir.c_str(), 0755), 0);
  ASSERT_EQ(chmod(admin_dir.c_str(), 0755), 0);
  MakeStaleSocket(admin_dir + "/admin.sock");
  std::unique_ptr<Storage> storage = NewMemoryStorage();
  base::FakeClock clock(Start());
  base::FakeRandom random(1);

  absl::StatusOr<std::unique_ptr<AdminServer>> server =
      AdminServer::Start(dir.path(), *storage, clock, random);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(ModeOf(admin_dir), 0700);
  EXPECT_EQ(ModeOf(admin_dir + "/admin.sock"), 0600);

  auto stub = v1::Admin::NewStub(grpc::CreateChannel(
      "unix:" + (*server)->socket_path(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::GetStatsResponse stats;
  EXPECT_TRUE(stub->GetStats(&context, v1::GetStatsRequest(), &stats).ok());
}

TEST(AdminServerTest, StartRejectsUnusablePaths) {
  std::unique_ptr<Storage> storage = NewMemoryStorage();
  base::FakeClock clock(Start());
  base::FakeRandom random(1);
  TempDir dir;

  const std::string long_dir = dir.path() + "/" + std::string(100, 'd');
  ASSERT_EQ(mkdir(long_dir.c_str(), 0700), 0);
  absl::StatusOr<std::unique_ptr<AdminServer>> server =
      AdminServer::Start(long_dir, *storage, clock, random);
  EXPECT_TRUE(absl::IsInvalidArgument(server.status())) << server.status();
  EXPECT_TRUE(absl::StrContains(server.status().message(), "shorter"));
  EXPECT_FALSE(std::filesystem::exists(long_dir + "/admin"));

  server = AdminServer::Start(dir.path() + "/missing", *storage, clock, random);
  EXPECT_TRUE(absl::IsFailedPrecondition(server.status())) << server.status();

  ASSERT_EQ(mkdir((dir.path() + "/admin").c_str(), 0700), 0);
  std::ofstream(dir.path() + "/admin/admin.sock") << "not a socket";
  server = AdminServer::Start(dir.path(), *storage, clock, random);
  EXPECT_TRUE(absl::IsFailedPrecondition(server.status())) << server.status();
}

}  // namespace
}  // namespace confidant::server::admin_testing
