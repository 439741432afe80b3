// The confidant-admin binary against the admin server of the fixture: JSON
// and human output, refusals on one line, bad usage, and no relay running.
#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "tests/server/admin_service_fixture.h"

namespace confidant::server::admin_testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs confidant-admin with `args`, the test's environment without
// CONFIDANT_DATA_DIR plus `extra_env`, in `cwd` if given.
CommandResult RunAdmin(const std::vector<std::string>& args,
                       const std::vector<std::string>& extra_env = {},
                       const std::string& cwd = "") {
  CommandResult result;
  TempDir io;
  const std::string out_path = io.path() + "/out";
  const std::string err_path = io.path() + "/err";

  std::vector<std::string> argv_storage = {CONFIDANT_ADMIN_BIN};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, "CONFIDANT_DATA_DIR=")) env_storage.push_back(*e);
  }
  env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  envp.reserve(env_storage.size() + 1);
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  }
  pid_t pid = 0;
  const int spawn_error =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    ADD_FAILURE() << "cannot start " << argv[0] << ": "
                  << std::strerror(spawn_error);
    return result;
  }

  int wstatus = 0;
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (waitpid(pid, &wstatus, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      kill(pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      ADD_FAILURE() << "confidant-admin did not finish within 60 s";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(wstatus)) result.exit_code = WEXITSTATUS(wstatus);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

// The confidant-admin binary against the server of the fixture.

TEST_F(AdminServiceTest, CliCreatesOrganisationAsJson) {
  CommandResult run = RunAdmin(Cli({"--json", "org", "create", "Acme BV"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  v1::CreateOrganisationResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  EXPECT_EQ(response.organisation().name(), "Acme BV");
  EXPECT_TRUE(absl::StrContains(run.out, "\"access_code\""));
  absl::StatusOr<OrganisationRecord> found = FindByCode(response.access_code());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id, response.organisation().id());
}

TEST_F(AdminServiceTest, CliListsOrganisationsAsJson) {
  MustCreateOrg("Acme BV");
  MustCreateOrg("Beta");
  CommandResult run = RunAdmin(Cli({"org", "list", "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::ListOrganisationsResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  ASSERT_EQ(response.organisations_size(), 2);
  EXPECT_EQ(response.organisations(0).name(), "Acme BV");
  EXPECT_TRUE(absl::StrContains(run.out, "\"trust_person_count\":0"))
      << run.out;

  run = RunAdmin(Cli({"org", "list"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Acme BV")) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "2024-03-01")) << run.out;
}

TEST_F(AdminServiceTest, CliCreatesInviteByNameAndId) {
  MustCreateOrg("Acme BV");
  const std::string beta = MustCreateOrg("Beta").organisation().id();
  CommandResult run =
      RunAdmin(Cli({"--json", "invite", "create", "--org", "Acme BV", "--org",
                    beta, "--valid-days", "3"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::CreateInviteResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  ASSERT_EQ(response.organisations_size(), 2);
  EXPECT_EQ(response.organisations(1).id(), beta);
  EXPECT_EQ(response.expires(), "2024-03-04T10:00:00Z");
  EXPECT_TRUE(UseInvite(response.invite_code(), clock_.NowHour(), 'a').ok());

  run = RunAdmin(Cli({"invite", "create", "--org", beta}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Geldig tot: 2024-03-08T10:00:00Z"))
      << run.out;
}

TEST_F(AdminServiceTest, CliPrintsStats) {
  MustCreateOrg("Acme BV");
  CommandResult run = RunAdmin(Cli({"--json", "stats"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::GetStatsResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  EXPECT_EQ(response.organisations(), 1u);
  EXPECT_TRUE(absl::StrContains(run.out, "\"queued_envelopes\"")) << run.out;

  run = RunAdmin({"stats"}, {"CONFIDANT_DATA_DIR=" + dir_.path()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Organisaties")) << run.out;
}

TEST_F(AdminServiceTest, CliHumanOutputShowsTheCode) {
  CommandResult run = RunAdmin(Cli({"org", "create", "Acme BV"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string marker = "Toegangscode: ";
  const size_t at = run.out.find(marker);
  ASSERT_NE(at, std::string::npos) << run.out;
  const std::string code = run.out.substr(at + marker.size(), 4 * 5 + 3);
  EXPECT_TRUE(FindByCode(code).ok()) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "all staff")) << run.out;

  run = RunAdmin(Cli({"org", "rotate-code", "Acme BV"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(FindByCode(code).ok());
  const size_t new_at = run.out.find(marker);
  ASSERT_NE(new_at, std::string::npos) << run.out;
  EXPECT_TRUE(
      FindByCode(run.out.substr(new_at + marker.size(), 4 * 5 + 3)).ok())
      << run.out;
}

TEST_F(AdminServiceTest, CliReportsRefusalsOnOneLine) {
  MustCreateOrg("Acme BV");
  CommandResult run = RunAdmin(Cli({"org", "create", "acme bv"}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StrContains(run.err, "already exists")) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;

  run = RunAdmin(Cli({"org", "rotate-code", "Nobody"}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(run.err, "no organisation")) << run.err;

  TempDir cwd;
  run = RunAdmin(Cli({"backup", "relative"}), {}, cwd.path());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(run.err, "backup failed")) << run.err;
  EXPECT_EQ(MustStats().organisations(), 1u);
}

TEST_F(AdminServiceTest, CliBadUsageExitsTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           Cli({"frobnicate"}),
           Cli({}),
           Cli({"org"}),
           Cli({"org", "frobnicate"}),
           Cli({"invite"}),
           Cli({"org", "create"}),
           Cli({"invite", "create"}),
           Cli({"invite", "create", "--org", "x", "--valid-days", "31"}),
           {"stats"},
       }) {
    CommandResult run = RunAdmin(args);
    EXPECT_EQ(run.exit_code, 2) << args.back() << ": " << run.err;
    EXPECT_TRUE(absl::StrContains(run.err, "Usage")) << run.err;
  }
  CommandResult help = RunAdmin({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(help.out, "backup")) << help.out;
}

TEST(AdminCliTest, WithoutARelayExitsOne) {
  TempDir dir;
  CommandResult run = RunAdmin({"--data-dir", dir.path(), "stats"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StrContains(
      run.err, "no relay is running for data directory " + dir.path()))
      << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "not found")) << run.err;

  run = RunAdmin({"--data-dir", dir.path(), "org"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "a command is required")) << run.err;
  run = RunAdmin({"--data-dir", "", "stats"});
  EXPECT_EQ(run.exit_code, 2) << run.err;

  ASSERT_EQ(mkdir((dir.path() + "/admin").c_str(), 0700), 0);
  MakeStaleSocket(dir.path() + "/admin/admin.sock");
  run = RunAdmin({"--data-dir", dir.path(), "--json", "stats"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StrContains(run.err, "no relay is running")) << run.err;
}

}  // namespace
}  // namespace confidant::server::admin_testing
