// The world of the messenger tests: a real confidant-relay on 127.0.0.1
// port 0, an organisation, and parties (trust persons and employees), each
// with an encrypted profile and an App (client/app/app.h) over it.
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
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "client/account.h"
#include "client/app/app.h"
#include "client/app/app_stack.h"
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

// A clock the test sets; every party's App reads it.
using TestClock = base::FakeClock;

// The messenger calls of a party as the tests make them, over the App:
// each sets the party's clock to `now`, and what is queued is sent at once.
class PartyMessenger {
 public:
  PartyMessenger(App& app, TestClock& clock) : app_(app), clock_(clock) {}

  absl::StatusOr<std::string> OpenCase(std::string_view peer,
                                       std::string_view text, absl::Time now) {
    clock_.Set(now);
    absl::StatusOr<std::string> case_id = app_.OpenCase(peer, text);
    if (!case_id.ok()) return case_id;
    if (absl::StatusOr<int> sent = app_.SendQueued(); !sent.ok()) {
      return sent.status();
    }
    return case_id;
  }
  absl::Status SendText(std::string_view case_id, std::string_view text,
                        absl::Time now) {
    clock_.Set(now);
    absl::StatusOr<std::string> id = app_.Send(case_id, text);
    if (!id.ok()) return id.status();
    return app_.SendQueued().status();
  }
  absl::StatusOr<SyncReport> Sync(absl::Time now) {
    clock_.Set(now);
    return app_.SyncOnce();
  }
  absl::StatusOr<std::vector<CaseSummary>> ListCases() { return app_.Cases(); }
  absl::StatusOr<std::vector<CaseMessage>> ReadCase(std::string_view case_id) {
    return app_.Read(case_id);
  }
  absl::Status MarkRead(std::string_view case_id) {
    return app_.MarkRead(case_id);
  }
  absl::StatusOr<SafetyNumberState> SafetyNumber(std::string_view case_id) {
    return app_.SafetyNumber(case_id);
  }
  absl::StatusOr<SyncReport> VerifySafetyNumber(std::string_view case_id,
                                                std::string_view compared,
                                                absl::Time now) {
    clock_.Set(now);
    absl::StatusOr<SyncReport> report = app_.Verify(case_id, compared);
    if (!report.ok()) return report;
    if (absl::StatusOr<int> sent = app_.SendQueued(); !sent.ok()) {
      return sent.status();
    }
    return report;
  }

 private:
  App& app_;
  TestClock& clock_;
};

// One installation with a persistent profile: an App, with its stack's
// parts at hand for tests that look inside or forge.
struct Party {
  std::string profile_dir;
  std::string relay_address;
  TestClock clock{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<App> app;
  std::unique_ptr<PartyMessenger> messenger;
  // Parts of the app's stack (owned by it).
  RelayTransport* transport = nullptr;
  ProfileStore* profile = nullptr;
  PersistentCryptoStore* store = nullptr;
  AccountManager* account = nullptr;
  crypto::SessionManager* sessions = nullptr;
  CertificateManager* certificates = nullptr;
  crypto::MessageCrypto* crypto = nullptr;

  std::string id() const { return app->account_id(); }

  AppOptions Options() {
    AppOptions options;
    options.relay = relay_address;
    options.insecure = true;
    options.argon2 = kCheapArgon2;
    options.clock = &clock;
    options.messenger.receipt_delay_min = absl::ZeroDuration();
    options.messenger.receipt_delay_max = absl::ZeroDuration();
    options.reconnect_min = absl::Milliseconds(100);
    options.reconnect_max = absl::Milliseconds(500);
    return options;
  }

  void Adopt(std::unique_ptr<App> opened) {
    app = std::move(opened);
    AppStack& stack = app->StackForTesting();
    transport = stack.transport.get();
    profile = stack.profile.get();
    store = stack.store.get();
    account = stack.account.get();
    sessions = stack.sessions.get();
    certificates = stack.certificates.get();
    crypto = stack.crypto.get();
    messenger = std::make_unique<PartyMessenger>(*app, clock);
  }

  void Close() {
    messenger.reset();
    app.reset();
  }

  // Opens the profile again and builds the stack on it.
  void Reopen() {
    Close();
    auto opened = App::Open(profile_dir, kPassphrase, Options());
    ASSERT_TRUE(opened.ok()) << opened.status();
    Adopt(*std::move(opened));
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

  std::unique_ptr<Party> NewParty(const std::string& name) {
    auto party = std::make_unique<Party>();
    party->profile_dir = dir_.path() + "/" + name;
    party->relay_address = relay_->address();
    party->clock.Set(t0_);
    return party;
  }

  std::unique_ptr<Party> NewTrustPerson(
      const std::string& name = "trust_person",
      const std::string& display_name = "Anna de Vries") {
    auto invite = AdminJson<::confidant::v1::CreateInviteResponse>(
        {"invite", "create", "--org", org_.organisation().id()});
    std::unique_ptr<Party> party = NewParty(name);
    TrustPersonProfile profile;
    profile.display_name = display_name;
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl"};
    auto app =
        App::Enroll(party->profile_dir, kPassphrase, ConnectionSettings{},
                    invite.invite_code(), profile, "", party->Options());
    EXPECT_TRUE(app.ok()) << app.status();
    if (!app.ok()) return nullptr;
    party->Adopt(*std::move(app));
    return party;
  }

  std::unique_ptr<Party> NewEmployee(const std::string& name) {
    std::unique_ptr<Party> party = NewParty(name);
    auto app = App::Join(party->profile_dir, kPassphrase, ConnectionSettings{},
                         org_.access_code(), "", party->Options());
    EXPECT_TRUE(app.ok()) << app.status();
    if (!app.ok()) return nullptr;
    party->Adopt(*std::move(app));
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
