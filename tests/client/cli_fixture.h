// The world of the CLI tests: the real relay and confidant-admin, an
// organisation and an invite, and the `confidant` binary run as a process.
#ifndef CONFIDANT_TESTS_CLIENT_CLI_FIXTURE_H_
#define CONFIDANT_TESTS_CLIENT_CLI_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "confidant/v1/admin.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::cli_testing {

using ::confidant::testing::CommandResult;
using ::confidant::testing::ReadFileOrDie;
using ::confidant::testing::RelayProcess;
using ::confidant::testing::RunCommand;
using ::confidant::testing::TempDir;

inline constexpr char kPassphrase[] = "correct horse battery staple";

// The string value of `"key":"..."` in `json` (no escapes), or "".
inline std::string JsonField(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  size_t at = json.find(needle);
  if (at == std::string::npos) return "";
  at += needle.size();
  size_t end = json.find('"', at);
  if (end == std::string::npos) return "";
  return json.substr(at, end - at);
}

// Every file under `dir` with its contents.
inline std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      out[entry.path().string()] = ReadFileOrDie(entry.path().string());
    }
  }
  return out;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(setenv("CONFIDANT_PASSPHRASE", kPassphrase, 1), 0);
    config_ = dir_.path() + "/relay.toml";
    std::ofstream(config_) << "[limits]\n"
                              "bundle_per_second = 1.0\n"
                              "bundle_burst = 1000.0\n";
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config_});
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    org_ = AdminJson<v1::CreateOrganisationResponse>(
        {"org", "create", "Gemeente Voorbeeld"});
    invite_ = AdminJson<v1::CreateInviteResponse>(
        {"invite", "create", "--org", org_.organisation().id()});
    tp_ = dir_.path() + "/tp";
    emp_ = dir_.path() + "/emp";
  }

  void TearDown() override { unsetenv("CONFIDANT_PASSPHRASE"); }

  template <typename Message>
  Message AdminJson(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // Runs confidant with `profile` against the test relay.
  CommandResult Cli(const std::string& profile, std::vector<std::string> args,
                    bool json = false) {
    std::vector<std::string> argv = {CONFIDANT_CLI_BIN, "--profile",
                                     profile,           "--relay",
                                     relay_->address(), "--insecure"};
    if (json) argv.push_back("--json");
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  TempDir dir_;
  std::string config_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  v1::CreateOrganisationResponse org_;
  v1::CreateInviteResponse invite_;
  std::string tp_;
  std::string emp_;
};

}  // namespace confidant::cli_testing

#endif  // CONFIDANT_TESTS_CLIENT_CLI_FIXTURE_H_
