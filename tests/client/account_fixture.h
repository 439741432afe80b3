// What the client's tests against the real confidant-relay share
// (account_test.cc, account_transport_test.cc): installations over memory
// stores or an encrypted profile, a wire format for raw Signal messages, and
// the fixture that starts the relay (127.0.0.1 port 0, temporary data
// directory) and makes organisations and invites with the real
// confidant-admin.
#ifndef CONFIDANT_TESTS_CLIENT_ACCOUNT_FIXTURE_H_
#define CONFIDANT_TESTS_CLIENT_ACCOUNT_FIXTURE_H_

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/profile_account_state.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/v1/admin.pb.h"
#include "crypto/memory_stores.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client::account_testing {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;

// One installation: crypto stores, account state, transport, account, and
// Signal sessions.
struct Party {
  std::unique_ptr<crypto::MemoryStore> store;
  MemoryAccountStateStore state_store;
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;

  std::string id() const { return account->state().account_id; }
  crypto::Address address() const {
    return crypto::Address{absl::BytesToHexString(id()), 1};
  }
};

// The same over an encrypted profile, whose crypto store records handouts.
struct ProfileParty {
  std::unique_ptr<ProfileStore> profile;
  std::unique_ptr<PersistentCryptoStore> store;
  std::unique_ptr<ProfileAccountStateStore> state_store;
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;

  std::string id() const { return account->state().account_id; }
  crypto::Address address() const {
    return crypto::Address{absl::BytesToHexString(id()), 1};
  }
};

// The test's own wire format for a raw Signal message: one type byte, then
// the ciphertext.
std::string ToWire(const crypto::Ciphertext& c);

// The inverse of ToWire.
crypto::Ciphertext FromWire(const std::string& wire);

class AccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.path() + "/relay.toml";
    std::ofstream(config_) << "[limits]\n"
                              "bundle_per_second = 1.0\n"
                              "bundle_burst = 1000.0\n";
    data_dir_ = dir_.path() + "/relay";
    ASSERT_NO_FATAL_FAILURE(StartRelay());
  }

  void StartRelay() {
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config_});
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
  }

  template <typename Message>
  Message AdminJson(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // A transport to the relay, without credentials.
  std::unique_ptr<RelayTransport> NewTransport();

  // An installation over memory stores, not registered yet.
  std::unique_ptr<Party> NewParty();

  // A party over a new profile in the test's directory.
  std::unique_ptr<ProfileParty> NewProfileParty(const AccountOptions& options);

  // The trust person's profile the tests register with.
  static TrustPersonProfile Profile();

  // An organisation with a registered trust person and employee.
  void SetUpOrganisation(std::unique_ptr<Party>* trust_person,
                         std::unique_ptr<Party>* employee);

  // `from` starts a session from `bundle`, encrypts `text` and sends it to
  // `to`.
  template <typename From, typename To>
  static void SendFromBundle(From& from, const To& to,
                             const crypto::PreKeyBundle& bundle,
                             const std::string& text) {
    ASSERT_TRUE(from.sessions->StartSession(to.address(), bundle).ok());
    absl::StatusOr<crypto::Ciphertext> c =
        from.sessions->Encrypt(to.address(), text);
    ASSERT_TRUE(c.ok()) << c.status();
    absl::StatusOr<uint64_t> seq = from.transport->Send(to.id(), ToWire(*c));
    ASSERT_TRUE(seq.ok()) << seq.status();
  }

  // Drains `to`'s mailbox, decrypts each envelope as coming from `from`, and
  // acks them all.
  template <typename To, typename From>
  static std::vector<std::string> ReceiveAll(To& to, const From& from) {
    absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*to.transport);
    EXPECT_TRUE(got.ok()) << got.status();
    std::vector<std::string> texts;
    std::vector<uint64_t> seqs;
    for (const Envelope& e : got.value_or(std::vector<Envelope>{})) {
      absl::StatusOr<std::string> text =
          to.sessions->Decrypt(from.address(), FromWire(e.content));
      EXPECT_TRUE(text.ok()) << text.status();
      texts.push_back(text.value_or("<undecryptable>"));
      seqs.push_back(e.seq);
    }
    if (!seqs.empty()) {
      absl::StatusOr<uint32_t> deleted = to.transport->Ack(seqs);
      EXPECT_TRUE(deleted.ok()) << deleted.status();
      EXPECT_EQ(deleted.value_or(0), seqs.size());
    }
    return texts;
  }

  TempDir dir_;
  std::string config_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  v1::CreateOrganisationResponse org_;
  const absl::Time t0_ = absl::Now();
};

}  // namespace confidant::client::account_testing

#endif  // CONFIDANT_TESTS_CLIENT_ACCOUNT_FIXTURE_H_
