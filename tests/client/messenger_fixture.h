// The world of the messenger tests: a real confidant-relay on 127.0.0.1
// port 0, an organisation, and parties (trust persons and employees), each
// with an encrypted profile and the whole client stack.
#ifndef CONFIDANT_TESTS_CLIENT_MESSENGER_FIXTURE_H_
#define CONFIDANT_TESTS_CLIENT_MESSENGER_FIXTURE_H_

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/certificates.h"
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/messenger.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "confidant/v1/admin.pb.h"
#include "crypto/kdf.h"
#include "crypto/message_crypto.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client::messenger_testing {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;

constexpr char kPassphrase[] = "correct horse battery staple";
constexpr crypto::Argon2Params kCheapArgon2 = {1, 8192, 1};

// One installation with a persistent profile. Members are declared in
// dependency order so destruction runs from the messenger down.
struct Party {
  std::string profile_dir;
  MemoryAccountStateStore state_store;
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<ProfileStore> profile;
  std::unique_ptr<PersistentCryptoStore> store;
  std::unique_ptr<AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;
  std::unique_ptr<CertificateManager> certificates;
  std::unique_ptr<crypto::MessageCrypto> crypto;
  std::unique_ptr<Messenger> messenger;

  std::string id() const { return account->state().account_id; }

  // Closes everything above the transport.
  void Close() {
    messenger.reset();
    crypto.reset();
    certificates.reset();
    sessions.reset();
    account.reset();
    store.reset();
    profile.reset();
  }

  // Opens the profile again and builds the stack on it.
  void Reopen() {
    Close();
    auto opened = ProfileStore::Open(profile_dir, kPassphrase);
    ASSERT_TRUE(opened.ok()) << opened.status();
    profile = *std::move(opened);
    auto loaded = PersistentCryptoStore::Load(*profile);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    store = *std::move(loaded);
    ASSERT_NO_FATAL_FAILURE(OpenAccountAndSessions());
    ASSERT_NO_FATAL_FAILURE(StartMessenger());
  }

  void OpenAccountAndSessions() {
    auto opened =
        AccountManager::Open(*transport, state_store, *store, *store, *store);
    ASSERT_TRUE(opened.ok()) << opened.status();
    account = *std::move(opened);
    auto created =
        crypto::SessionManager::Create(*store, *store, *store, *store);
    ASSERT_TRUE(created.ok()) << created.status();
    sessions = *std::move(created);
  }

  // Needs a registered account.
  void StartMessenger() {
    absl::StatusOr<crypto::IdentityKeyPair> identity = store->LocalIdentity();
    ASSERT_TRUE(identity.ok()) << identity.status();
    auto opened = CertificateManager::Open(*transport, *profile, id(),
                                           identity->public_key());
    ASSERT_TRUE(opened.ok()) << opened.status();
    certificates = *std::move(opened);
    crypto = std::make_unique<crypto::MessageCrypto>(
        *sessions, certificates->verifier(), id(), *std::move(identity));
    messenger =
        std::make_unique<Messenger>(*transport, *profile, *sessions, *crypto,
                                    *certificates, id(), account->state().kind);
  }

  SyncReport Sync(absl::Time now) {
    absl::StatusOr<SyncReport> report = messenger->Sync(now);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.value_or(SyncReport{});
  }

  std::vector<CaseMessage> Read(const std::string& case_id) {
    absl::StatusOr<std::vector<CaseMessage>> messages =
        messenger->ReadCase(case_id);
    EXPECT_TRUE(messages.ok()) << messages.status();
    return messages.value_or(std::vector<CaseMessage>{});
  }

  std::vector<CaseSummary> Cases() {
    absl::StatusOr<std::vector<CaseSummary>> cases = messenger->ListCases();
    EXPECT_TRUE(cases.ok()) << cases.status();
    return cases.value_or(std::vector<CaseSummary>{});
  }

  // A sealed envelope for `peer` holding `message`, made outside the
  // messenger.
  std::string Envelope(const std::string& peer, const v1::AppMessage& message,
                       absl::Time now = absl::FromUnixSeconds(1'800'000'000)) {
    absl::StatusOr<std::string> certificate = certificates->Current(now);
    EXPECT_TRUE(certificate.ok()) << certificate.status();
    absl::StatusOr<std::string> envelope = crypto->Encrypt(
        peer, message.SerializeAsString(), certificate.value_or(""));
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return envelope.value_or("");
  }
};

// The bodies, each cut to 40 bytes (and its size) to keep failures readable.
inline std::vector<std::string> Bodies(
    const std::vector<CaseMessage>& messages) {
  std::vector<std::string> out;
  for (const CaseMessage& m : messages) {
    out.push_back(absl::StrCat(m.body.substr(0, 40), "/", m.body.size()));
  }
  return out;
}

inline std::vector<std::string> Bodies(const std::vector<std::string>& bodies) {
  std::vector<std::string> out;
  for (const std::string& b : bodies) {
    out.push_back(absl::StrCat(b.substr(0, 40), "/", b.size()));
  }
  return out;
}

class MessengerTest : public ::testing::Test {
 public:
  void SetUp() override {
    config_ = dir_.path() + "/relay.toml";
    std::ofstream(config_) << "[limits]\n"
                              "bundle_per_second = 1.0\n"
                              "bundle_burst = 1000.0\n";
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config_});
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    org_ = AdminJson<::confidant::v1::CreateOrganisationResponse>(
        {"org", "create", "Gemeente Voorbeeld"});
  }

  template <typename Message>
  Message AdminJson(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // A party with a fresh profile and crypto stores, not yet registered.
  std::unique_ptr<Party> NewParty(const std::string& name) {
    auto party = std::make_unique<Party>();
    party->profile_dir = dir_.path() + "/" + name;
    GrpcTransportOptions options;
    options.address = relay_->address();
    options.insecure = true;
    auto transport = CreateGrpcTransport(options);
    EXPECT_TRUE(transport.ok()) << transport.status();
    if (!transport.ok()) return nullptr;
    party->transport = *std::move(transport);
    auto profile =
        ProfileStore::Create(party->profile_dir, kPassphrase, kCheapArgon2);
    EXPECT_TRUE(profile.ok()) << profile.status();
    if (!profile.ok()) return nullptr;
    party->profile = *std::move(profile);
    absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
    EXPECT_TRUE(keys.ok()) << keys.status();
    auto store = PersistentCryptoStore::Create(
        *party->profile, std::move(keys->identity), keys->registration_id);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return nullptr;
    party->store = *std::move(store);
    absl::StatusOr<std::string> pinned =
        PinRelayKeys(*party->transport, *party->profile, "");
    EXPECT_TRUE(pinned.ok()) << pinned.status();
    party->OpenAccountAndSessions();
    return party;
  }

  std::unique_ptr<Party> NewTrustPerson(
      const std::string& name = "trust_person",
      const std::string& display_name = "Anna de Vries") {
    auto invite = AdminJson<::confidant::v1::CreateInviteResponse>(
        {"invite", "create", "--org", org_.organisation().id()});
    std::unique_ptr<Party> party = NewParty(name);
    if (party == nullptr) return nullptr;
    TrustPersonProfile profile;
    profile.display_name = display_name;
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl"};
    absl::Status registered =
        party->account->RegisterTrustPerson(invite.invite_code(), profile, t0_);
    EXPECT_TRUE(registered.ok()) << registered;
    party->StartMessenger();
    return party;
  }

  std::unique_ptr<Party> NewEmployee(const std::string& name) {
    std::unique_ptr<Party> party = NewParty(name);
    if (party == nullptr) return nullptr;
    absl::Status registered =
        party->account->RegisterEmployee(org_.access_code(), t0_);
    EXPECT_TRUE(registered.ok()) << registered;
    party->StartMessenger();
    return party;
  }

  TempDir dir_;
  std::string config_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  ::confidant::v1::CreateOrganisationResponse org_;
  const absl::Time t0_ = absl::FromUnixSeconds(1'800'000'000);
};

}  // namespace confidant::client::messenger_testing

#endif  // CONFIDANT_TESTS_CLIENT_MESSENGER_FIXTURE_H_
