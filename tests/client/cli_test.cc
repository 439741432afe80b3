// The real `confidant` binary against the real relay and confidant-admin: a
// trust person and an employee exchange messages through the command line.
#include <google/protobuf/util/json_util.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "confidant/v1/admin.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/storage/rocksdb_storage.h"
#include "tests/client/cli_fixture.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::cli_testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, ConversationErrorsAndJson) {
  CommandResult r = Cli(tp_,
                        {"enroll", "--invite", invite_.invite_code(), "--name",
                         "Anna de Vries", "--kind", "external", "--languages",
                         "nl,en", "--intro", "Bel of schrijf gerust."},
                        /*json=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.front(), '{') << r.out;
  const std::string tp_id = JsonField(r.out, "account_id");
  ASSERT_EQ(tp_id.size(), 32u) << r.out;
  const std::string fingerprint = JsonField(r.out, "fingerprint");
  EXPECT_EQ(fingerprint.size(), 35u) << r.out;
  // The relay key it pinned: what the organisation publishes.
  const std::string relay_key = JsonField(r.out, "relay_key");
  EXPECT_EQ(relay_key.size(), 49u) << r.out;

  // A second enroll into the same profile fails.
  r = Cli(tp_, {"enroll", "--invite", "x", "--name", "y"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("already exists"));

  // A relay whose key is not the published one sees no access code.
  r = Cli(emp_, {"join", "--access-code", org_.access_code(), "--relay-key",
                 "0000 1111 2222 3333 4444 5555 6666 7777 8888 9999"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("this may not be your organisation's relay"));
  EXPECT_FALSE(std::filesystem::exists(emp_));
  std::string published = absl::AsciiStrToUpper(relay_key);
  published.erase(std::remove(published.begin(), published.end(), ' '),
                  published.end());
  r = Cli(emp_, {"join", "--access-code", org_.access_code(), "--relay-key",
                 published});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("joined organisation Gemeente Voorbeeld"));
  EXPECT_THAT(r.out, HasSubstr(relay_key));
  EXPECT_THAT(r.out, HasSubstr("matches the fingerprint given"));

  r = Cli(emp_, {"whoami"}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "role"), "employee");
  EXPECT_EQ(JsonField(r.out, "relay"), relay_->address());
  EXPECT_THAT(r.out, HasSubstr("\"organisations\":[\"Gemeente Voorbeeld\"]"));

  r = Cli(emp_, {"trust-persons"}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "id"), tp_id);
  EXPECT_EQ(JsonField(r.out, "name"), "Anna de Vries");
  EXPECT_EQ(JsonField(r.out, "kind"), "external");
  EXPECT_THAT(r.out, HasSubstr("\"languages\":[\"nl\",\"en\"]"));
  const std::string safety = JsonField(r.out, "safety_number");
  ASSERT_EQ(safety.size(), 71u) << r.out;
  // The trust person's fingerprint is one half of the safety number.
  EXPECT_TRUE(safety.substr(0, 35) == fingerprint ||
              safety.substr(36) == fingerprint)
      << safety << " vs " << fingerprint;
  r = Cli(emp_, {"trust-persons"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Anna de Vries"));

  r = Cli(emp_, {"open", "--to", tp_id, "--message", "Ik heb een \"vraag\"."},
          true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string case_id = JsonField(r.out, "case");
  ASSERT_EQ(case_id.size(), 32u) << r.out;

  r = Cli(tp_, {"sync"}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"received\":1"));

  r = Cli(tp_, {"cases"}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "case"), case_id);
  EXPECT_THAT(r.out, HasSubstr("\"unread\":1"));
  r = Cli(tp_, {"cases"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("unread 1"));

  r = Cli(tp_, {"read", "--case", case_id}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"body\":\"Ik heb een \\\"vraag\\\".\""));
  EXPECT_EQ(JsonField(r.out, "direction"), "incoming");
  r = Cli(tp_, {"cases"}, true);
  EXPECT_THAT(r.out, HasSubstr("\"unread\":0"));

  r = Cli(tp_, {"send", "--case", case_id, "Dank je, ik help je graag."});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  r = Cli(emp_, {"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("synced: 1 new"));
  r = Cli(emp_, {"read", "--case", case_id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The receipt waits its random delay (docs/protocol.md, "Receipt
  // timing") in the trust person's outbox: still only sent.
  EXPECT_THAT(r.out, HasSubstr("[sent]  Ik heb een \"vraag\"."));
  EXPECT_THAT(r.out, HasSubstr("[received]  Dank je, ik help je graag."));
  size_t mine = r.out.find("vraag");
  size_t theirs = r.out.find("Dank je");
  EXPECT_LT(mine, theirs);

  // Safety numbers agree on both sides; verify stores the flag.
  r = Cli(emp_, {"safety-number", "--case", case_id}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "safety_number"), safety);
  EXPECT_THAT(r.out, HasSubstr("\"verified\":false"));
  r = Cli(tp_, {"safety-number", "--case", case_id}, true);
  EXPECT_EQ(JsonField(r.out, "safety_number"), safety);
  // verify takes the number the user compared, and refuses another one.
  r = Cli(emp_, {"verify", "--case", case_id});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::string wrong_number = safety;
  wrong_number[0] =
      wrong_number[0] == '9' ? '0' : static_cast<char>(wrong_number[0] + 1);
  r = Cli(emp_, {"verify", "--case", case_id, "--number", wrong_number});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("not the current one"));
  r = Cli(emp_, {"safety-number", "--case", case_id});
  EXPECT_THAT(r.out, HasSubstr("not verified / niet geverifieerd"));
  r = Cli(emp_, {"verify", "--case", case_id, "--number", safety});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Cli(emp_, {"safety-number", "--case", case_id});
  EXPECT_THAT(r.out, HasSubstr("verified / geverifieerd"));

  // --follow with a timeout returns with the messages that arrived.
  r = Cli(tp_, {"send", "--case", case_id, "Nog een vraag?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Cli(emp_, {"sync", "--follow", "--timeout", "2"}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"body\":\"Nog een vraag?\""));

  // Wrong passphrase: one line, exit 1, nothing changed.
  std::map<std::string, std::string> before = Snapshot(emp_);
  const std::string wrong = dir_.path() + "/wrong";
  std::ofstream(wrong) << "not the passphrase\n";
  r = RunCommand({CONFIDANT_CLI_BIN, "--profile", emp_, "--passphrase-file",
                  wrong, "cases"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "confidant: wrong passphrase\n");
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Snapshot(emp_) == before);

  r = Cli(emp_, {"read", "--case", "00112233445566778899aabbccddeeff"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "confidant: unknown case 00112233445566778899aabbccddeeff\n");
  r = Cli(emp_, {"send", "--case", "zz", "hi"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("confidant: unknown case zz"));

  r = Cli(emp_, {"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  r = Cli(emp_, {"cases", "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);

  // The relay goes away.
  relay_->Stop();
  r = Cli(emp_, {"sync"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("confidant: relay not reachable"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // Local commands still work.
  r = Cli(emp_, {"cases"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliTest, NoPassphraseAndFailedJoinLeavesNoProfile) {
  unsetenv("CONFIDANT_PASSPHRASE");
  CommandResult r = Cli(emp_, {"join", "--access-code", org_.access_code()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no passphrase"));
  ASSERT_EQ(setenv("CONFIDANT_PASSPHRASE", kPassphrase, 1), 0);

  r = Cli(emp_, {"join", "--access-code", "wrong-code"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(emp_));
  r = Cli(emp_, {"join", "--access-code", org_.access_code()}, true);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string relay_key = JsonField(r.out, "relay_key");

  // An invite shown to the wrong relay would be spent: refused before.
  r = Cli(tp_, {"enroll", "--invite", invite_.invite_code(), "--name", "Anna",
                "--relay-key", "abcd"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("this may not be your organisation's relay"));
  EXPECT_FALSE(std::filesystem::exists(tp_));
  r = Cli(tp_, {"enroll", "--invite", invite_.invite_code(), "--name", "Anna",
                "--relay-key", relay_key});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// An employer's machine may name the relay's host in no_proxy. With --proxy
// the CLI still goes through the proxy, never past it: here a proxy that is
// not running, so the relay is not reachable. (Had main() not cleared the
// variable, the transport would refuse the proxy instead.)
TEST_F(CliTest, NoProxyInTheEnvironmentNeverBypassesTheProxy) {
  ASSERT_EQ(setenv("no_proxy", "127.0.0.1,localhost", 1), 0);
  CommandResult r = Cli(emp_, {"--proxy", "http://127.0.0.1:1", "join",
                               "--access-code", org_.access_code()});
  unsetenv("no_proxy");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("not reachable"));
  EXPECT_FALSE(std::filesystem::exists(emp_ + "/profile")) << r.err;
  // Without the proxy the same join goes straight to the relay.
  r = Cli(emp_, {"join", "--access-code", org_.access_code()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliTest, PassphraseChangeWithStrongerArgon2) {
  CommandResult r = Cli(emp_, {"join", "--access-code", org_.access_code()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string fresh = dir_.path() + "/fresh";
  std::ofstream(fresh) << "a new and longer passphrase for the profile\n";
  const std::string weak = dir_.path() + "/weak";
  std::ofstream(weak) << "welkom123\n";
  r = Cli(emp_, {"passphrase", "--new-passphrase-file", weak});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("passphrase too weak"));
  r = Cli(emp_, {"passphrase", "--new-passphrase-file", fresh,
                 "--argon2-memory", "3"});
  EXPECT_EQ(r.exit_code, 2) << "7..4096 MiB";
  r = Cli(emp_, {"passphrase", "--new-passphrase-file", fresh,
                 "--argon2-memory", "96", "--argon2-passes", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("passphrase changed"));
  // The old passphrase opens nothing any more; the new one does.
  r = Cli(emp_, {"whoami"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "confidant: wrong passphrase\n");
  r = Cli(emp_, {"--passphrase-file", fresh, "whoami"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("role:          employee"));
}

TEST_F(CliTest, WeakPassphraseIsRefusedAtJoin) {
  ASSERT_EQ(setenv("CONFIDANT_PASSPHRASE", "welkom123", 1), 0);
  CommandResult r = Cli(emp_, {"join", "--access-code", org_.access_code()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("passphrase too weak"));
  EXPECT_THAT(r.err, HasSubstr("wachtwoordzin te zwak"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(emp_));
  ASSERT_EQ(setenv("CONFIDANT_PASSPHRASE", kPassphrase, 1), 0);
  r = Cli(emp_, {"join", "--access-code", org_.access_code()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Issue 4's end-to-end check: a whole conversation through the CLI, a relay
// restart with messages queued, a second employee, and then a search of
// everything the relay keeps for anything that could betray the employee.
TEST_F(CliTest, EndToEndConversationSurvivesRestartAndLeavesNoTrace) {
  CommandResult r = Cli(
      tp_,
      {"enroll", "--invite", invite_.invite_code(), "--name", "Anna de Vries"},
      /*json=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string tp_id = JsonField(r.out, "account_id");
  ASSERT_EQ(Cli(emp_, {"join", "--access-code", org_.access_code()}).exit_code,
            0);
  r = Cli(emp_, {"whoami"}, /*json=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string emp_id_hex = JsonField(r.out, "account_id");
  ASSERT_EQ(emp_id_hex.size(), 32u) << r.out;
  r = Cli(emp_, {"trust-persons"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(tp_id), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Anna de Vries"), std::string::npos) << r.out;

  r = Cli(emp_, {"open", "--to", tp_id, "--message", "geheim-emp-0"},
          /*json=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string case_id = JsonField(r.out, "case");
  ASSERT_FALSE(case_id.empty()) << r.out;
  std::vector<std::string> texts = {"geheim-emp-0"};
  for (int i = 1; i <= 20; ++i) {
    texts.push_back("geheim-emp-" + std::to_string(i));
    ASSERT_EQ(Cli(emp_, {"send", "--case", case_id, texts.back()}).exit_code,
              0);
  }
  ASSERT_EQ(Cli(tp_, {"sync"}).exit_code, 0);
  for (int i = 1; i <= 20; ++i) {
    texts.push_back("geheim-tp-" + std::to_string(i));
    ASSERT_EQ(Cli(tp_, {"send", "--case", case_id, texts.back()}).exit_code, 0);
  }
  ASSERT_EQ(Cli(emp_, {"sync"}).exit_code, 0);

  // Queued messages survive a clean stop and a kill of the relay.
  for (int i = 1; i <= 3; ++i) {
    texts.push_back("geheim-queued-" + std::to_string(i));
    ASSERT_EQ(Cli(emp_, {"send", "--case", case_id, texts.back()}).exit_code,
              0);
  }
  ASSERT_EQ(relay_->Stop(), 0) << relay_->Log();
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  texts.push_back("geheim-queued-4");
  ASSERT_EQ(Cli(emp_, {"send", "--case", case_id, texts.back()}).exit_code, 0);
  relay_->Kill();
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  ASSERT_EQ(Cli(tp_, {"sync"}).exit_code, 0);
  ASSERT_EQ(Cli(tp_, {"sync"}).exit_code, 0);  // nothing comes twice

  const CommandResult tp_read = Cli(tp_, {"read", "--case", case_id});
  const CommandResult emp_read = Cli(emp_, {"read", "--case", case_id});
  ASSERT_EQ(tp_read.exit_code, 0) << tp_read.err;
  ASSERT_EQ(emp_read.exit_code, 0) << emp_read.err;
  for (const std::string& text : texts) {
    const bool from_tp = text.rfind("geheim-tp-", 0) == 0;
    const std::string& shown = tp_read.out;
    size_t count = 0;
    for (size_t at = shown.find(text + "\n"); at != std::string::npos;
         at = shown.find(text + "\n", at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 1u) << text;  // exactly once, none lost
    if (from_tp) {
      EXPECT_NE(emp_read.out.find(text + "\n"), std::string::npos) << text;
    }
  }

  // A second employee's case stays apart.
  const std::string emp2 = dir_.path() + "/emp2";
  ASSERT_EQ(Cli(emp2, {"join", "--access-code", org_.access_code()}).exit_code,
            0);
  r = Cli(emp2, {"open", "--to", tp_id, "--message", "geheim-emp2"}, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string case2 = JsonField(r.out, "case");
  texts.push_back("geheim-emp2");
  ASSERT_EQ(Cli(tp_, {"sync"}).exit_code, 0);
  EXPECT_EQ(Cli(tp_, {"read", "--case", case_id}).out.find("geheim-emp2"),
            std::string::npos);
  EXPECT_NE(Cli(tp_, {"read", "--case", case2}).out.find("geheim-emp2"),
            std::string::npos);

  // Leave envelopes queued, then look at everything the relay has.
  for (int i = 1; i <= 3; ++i) {
    texts.push_back("geheim-left-" + std::to_string(i));
    ASSERT_EQ(Cli(emp_, {"send", "--case", case_id, texts.back()}).exit_code,
              0);
  }
  ASSERT_EQ(relay_->Stop(), 0);
  const std::string log = relay_->Log();
  std::string everything = log;
  for (const auto& [path, bytes] : Snapshot(data_dir_)) everything += bytes;
  for (const std::string& text : texts) {
    EXPECT_EQ(everything.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(log.find(emp_id_hex), std::string::npos);
  EXPECT_EQ(log.find(tp_id), std::string::npos);

  std::string emp_id, tp_raw;
  for (size_t i = 0; i < 32; i += 2) {
    emp_id.push_back(
        static_cast<char>(std::stoi(emp_id_hex.substr(i, 2), nullptr, 16)));
    tp_raw.push_back(
        static_cast<char>(std::stoi(tp_id.substr(i, 2), nullptr, 16)));
  }
  absl::StatusOr<std::unique_ptr<server::Storage>> storage =
      server::OpenRocksDbStorage(data_dir_ + "/db");
  ASSERT_TRUE(storage.ok()) << storage.status();
  absl::StatusOr<server::IdentityRecord> emp_identity =
      (*storage)->keys().GetIdentity(emp_id);
  ASSERT_TRUE(emp_identity.ok()) << emp_identity.status();
  absl::StatusOr<std::vector<server::StoredEnvelope>> queued =
      (*storage)->mailboxes().Read(server::MailboxId{tp_raw, 1}, 0, 1000,
                                   1 << 26);
  ASSERT_TRUE(queued.ok()) << queued.status();
  ASSERT_GE(queued->size(), 3u);
  for (const server::StoredEnvelope& e : *queued) {
    EXPECT_EQ(e.content.find(emp_id), std::string::npos);
    EXPECT_EQ(e.content.find(emp_identity->identity_key), std::string::npos);
    EXPECT_EQ(e.content.find(emp_identity->identity_key.substr(1)),
              std::string::npos);
    EXPECT_TRUE(e.content.size() == 1024 || e.content.size() == 4096)
        << e.content.size();
  }
}

}  // namespace
}  // namespace confidant::cli_testing
