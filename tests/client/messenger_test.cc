// Messenger against the real confidant-relay: a trust person and employees,
// each with an encrypted profile, exchange messages through cases.
#include "client/messenger.h"

#include <google/protobuf/util/json_util.h>

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
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "confidant/v1/admin.pb.h"
#include "crypto/kdf.h"
#include "crypto/memory_stores.h"
#include "crypto/message_crypto.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::confidant::testing::CommandResult;
using ::confidant::testing::RelayProcess;
using ::confidant::testing::RunCommand;
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
  std::unique_ptr<crypto::MessageCrypto> crypto;
  std::unique_ptr<Messenger> messenger;

  std::string id() const { return account->state().account_id; }

  // Closes everything above the transport.
  void Close() {
    messenger.reset();
    crypto.reset();
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
    crypto = std::make_unique<crypto::MessageCrypto>(*sessions, id(),
                                                     *std::move(identity));
    messenger = std::make_unique<Messenger>(*transport, *profile, *sessions,
                                            *crypto, id());
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
  std::string Envelope(const std::string& peer, const v1::AppMessage& message) {
    absl::StatusOr<std::string> envelope =
        crypto->Encrypt(peer, message.SerializeAsString());
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return envelope.value_or("");
  }
};

// The bodies, each cut to 40 bytes (and its size) to keep failures readable.
std::vector<std::string> Bodies(const std::vector<CaseMessage>& messages) {
  std::vector<std::string> out;
  for (const CaseMessage& m : messages) {
    out.push_back(absl::StrCat(m.body.substr(0, 40), "/", m.body.size()));
  }
  return out;
}

std::vector<std::string> Bodies(const std::vector<std::string>& bodies) {
  std::vector<std::string> out;
  for (const std::string& b : bodies) {
    out.push_back(absl::StrCat(b.substr(0, 40), "/", b.size()));
  }
  return out;
}

class MessengerTest : public ::testing::Test {
 protected:
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
    party->OpenAccountAndSessions();
    return party;
  }

  std::unique_ptr<Party> NewTrustPerson() {
    auto invite = AdminJson<::confidant::v1::CreateInviteResponse>(
        {"invite", "create", "--org", org_.organisation().id()});
    std::unique_ptr<Party> party = NewParty("trust_person");
    if (party == nullptr) return nullptr;
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
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

TEST_F(MessengerTest, ConversationDuplicatesTamperingSeparationAndReopen) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  std::unique_ptr<Party> emp2 = NewEmployee("employee2");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  ASSERT_NE(emp2, nullptr);
  absl::Time now = t0_;

  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "Goedemorgen, ik heb een vraag.", now);
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  ASSERT_EQ(case_id->size(), 16u);

  SyncReport r = tp->Sync(now);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.dropped, 0);
  std::vector<CaseSummary> cases = tp->Cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].case_id, *case_id);
  EXPECT_EQ(cases[0].peer_account_id, emp->id());
  EXPECT_EQ(cases[0].unread_count, 1u);
  EXPECT_FALSE(cases[0].opened_by_us);
  ASSERT_TRUE(tp->messenger->MarkRead(*case_id).ok());
  EXPECT_EQ(tp->Cases()[0].unread_count, 0u);

  // The receipt reaches the employee and marks the first message delivered.
  r = emp->Sync(now);
  EXPECT_EQ(r.receipts, 1);
  EXPECT_EQ(r.received, 0);
  std::vector<CaseMessage> mine = emp->Read(*case_id);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].direction, Direction::kOutgoing);
  EXPECT_EQ(mine[0].delivery, DeliveryState::kDelivered);

  // 24 more messages, both ways, some in bursts.
  std::vector<std::string> expected = {"Goedemorgen, ik heb een vraag."};
  for (int round = 0; round < 8; ++round) {
    now += absl::Minutes(5);
    const std::string a = absl::StrCat("werknemer ", round);
    const std::string b =
        absl::StrCat("vertrouwenspersoon ", round, " \xc3\xa9");
    const std::string c = absl::StrCat("werknemer ", round, " nog iets");
    ASSERT_TRUE(emp->messenger->SendText(*case_id, a, now).ok());
    EXPECT_EQ(tp->Sync(now).received, 1);
    ASSERT_TRUE(tp->messenger->SendText(*case_id, b, now).ok());
    r = emp->Sync(now);
    EXPECT_EQ(r.received, 1);
    EXPECT_EQ(r.receipts, round == 0 ? 1 : 2);  // for `a` and the last `c`
    ASSERT_TRUE(emp->messenger->SendText(*case_id, c, now).ok());
    r = tp->Sync(now);
    EXPECT_EQ(r.received, 1);
    EXPECT_EQ(r.receipts, 1);
    expected.insert(expected.end(), {a, b, c});
  }
  EXPECT_EQ(emp->Sync(now).receipts, 1);  // for the last burst
  EXPECT_EQ(tp->Sync(now).received, 0);

  // Both sides hold the same conversation in the same order.
  std::vector<CaseMessage> emp_view = emp->Read(*case_id);
  std::vector<CaseMessage> tp_view = tp->Read(*case_id);
  EXPECT_EQ(Bodies(emp_view), Bodies(expected));
  EXPECT_EQ(Bodies(tp_view), Bodies(expected));
  ASSERT_EQ(emp_view.size(), 25u);
  for (size_t i = 0; i < emp_view.size(); ++i) {
    EXPECT_EQ(emp_view[i].message_id, tp_view[i].message_id);
    if (emp_view[i].direction == Direction::kOutgoing) {
      EXPECT_EQ(tp_view[i].direction, Direction::kIncoming);
      EXPECT_EQ(tp_view[i].delivery, DeliveryState::kReceived);
    } else {
      EXPECT_EQ(tp_view[i].direction, Direction::kOutgoing);
      EXPECT_EQ(emp_view[i].delivery, DeliveryState::kReceived);
    }
    EXPECT_NE(emp_view[i].delivery, DeliveryState::kSent) << i;
    EXPECT_NE(tp_view[i].delivery, DeliveryState::kSent) << i;
  }
  EXPECT_EQ(tp->Cases()[0].unread_count, 16u);

  // The same envelope twice: the relay delivers both, the user sees one.
  v1::AppMessage dup;
  dup.set_message_id(std::string(16, '\x11'));
  dup.set_case_id(*case_id);
  dup.set_kind(v1::AppMessage::TEXT);
  dup.set_body("twee keer verstuurd");
  const std::string envelope = emp->Envelope(tp->id(), dup);
  ASSERT_TRUE(emp->transport->Send(tp->id(), envelope).ok());
  ASSERT_TRUE(emp->transport->Send(tp->id(), envelope).ok());
  // The same message id in a second, different envelope (a resend).
  ASSERT_TRUE(
      emp->transport->Send(tp->id(), emp->Envelope(tp->id(), dup)).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.dropped, 1);  // the replayed envelope: Signal refuses it
  EXPECT_EQ(r.duplicates, 1);
  EXPECT_EQ(r.warnings, std::vector<std::string>{"duplicate"});
  expected.push_back("twee keer verstuurd");
  EXPECT_EQ(Bodies(tp->Read(*case_id)), Bodies(expected));

  // A tampered envelope is dropped, counted and acked; the conversation goes
  // on.
  v1::AppMessage evil = dup;
  evil.set_message_id(std::string(16, '\x22'));
  evil.set_body("gewijzigd");
  std::string tampered = emp->Envelope(tp->id(), evil);
  tampered[tampered.size() / 2] ^= 0x01;
  ASSERT_TRUE(emp->transport->Send(tp->id(), tampered).ok());
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "na de sabotage", now).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.received, 1);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(tp->Sync(now).dropped, 0);  // it was acked: it does not return
  expected.push_back("na de sabotage");
  EXPECT_EQ(Bodies(tp->Read(*case_id)), Bodies(expected));
  ASSERT_TRUE(tp->messenger->SendText(*case_id, "ontvangen", now).ok());
  EXPECT_EQ(emp->Sync(now).received, 1);
  expected.push_back("ontvangen");

  // A malformed inner message is dropped too.
  v1::AppMessage malformed;
  malformed.set_message_id("short");
  ASSERT_TRUE(
      emp->transport->Send(tp->id(), emp->Envelope(tp->id(), malformed)).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.warnings, std::vector<std::string>{"malformed message"});

  // A second employee's case stays separate.
  now += absl::Hours(1);
  absl::StatusOr<std::string> case2 =
      emp2->messenger->OpenCase(tp->id(), "Ik wil iets melden.", now);
  ASSERT_TRUE(case2.ok()) << case2.status();
  EXPECT_EQ(tp->Sync(now).received, 1);
  ASSERT_TRUE(tp->messenger->SendText(*case2, "Vertel het maar.", now).ok());
  EXPECT_EQ(emp2->Sync(now).received, 1);
  EXPECT_EQ(emp->Sync(now).received, 0);
  cases = tp->Cases();
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].case_id, *case2);  // most recent first
  EXPECT_EQ(cases[0].peer_account_id, emp2->id());
  EXPECT_EQ(cases[1].case_id, *case_id);
  EXPECT_EQ(cases[1].peer_account_id, emp->id());
  EXPECT_EQ(Bodies(tp->Read(*case2)),
            Bodies(std::vector<std::string>{"Ik wil iets melden.",
                                            "Vertel het maar."}));
  EXPECT_EQ(emp->Cases().size(), 1u);
  EXPECT_EQ(emp2->Cases().size(), 1u);
  EXPECT_EQ(absl::IsNotFound(emp2->messenger->ReadCase(*case_id).status()),
            true);

  // The second employee cannot write into the first one's case.
  v1::AppMessage intrude;
  intrude.set_message_id(std::string(16, '\x33'));
  intrude.set_case_id(*case_id);
  intrude.set_kind(v1::AppMessage::TEXT);
  intrude.set_body("ingebroken");
  ASSERT_TRUE(
      emp2->transport->Send(tp->id(), emp2->Envelope(tp->id(), intrude)).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.received, 0);
  EXPECT_EQ(Bodies(tp->Read(*case_id)), Bodies(expected));

  // Unknown case and bad input.
  EXPECT_EQ(emp->messenger->SendText(std::string(16, 'x'), "hoi", now),
            absl::NotFoundError("unknown case"));
  EXPECT_TRUE(absl::IsInvalidArgument(
      emp->messenger->SendText(*case_id, "\xff\xfe", now)));
  EXPECT_TRUE(
      absl::IsInvalidArgument(emp->messenger->SendText(*case_id, "", now)));
  EXPECT_TRUE(absl::IsInvalidArgument(emp->messenger->SendText(
      *case_id, std::string(kMaxTextBytes + 1, 'a'), now)));
  EXPECT_TRUE(
      emp->messenger->SendText(*case_id, std::string(kMaxTextBytes, 'a'), now)
          .ok());
  EXPECT_EQ(tp->Sync(now).received, 1);
  expected.push_back(std::string(kMaxTextBytes, 'a'));
  EXPECT_EQ(emp->Sync(now).receipts, 1);

  // Everything survives closing and reopening the profiles.
  const std::vector<CaseMessage> tp_before = tp->Read(*case_id);
  ASSERT_NO_FATAL_FAILURE(tp->Reopen());
  ASSERT_NO_FATAL_FAILURE(emp->Reopen());
  std::vector<CaseMessage> tp_after = tp->Read(*case_id);
  EXPECT_EQ(Bodies(tp_after), Bodies(expected));
  ASSERT_EQ(tp_after.size(), tp_before.size());
  for (size_t i = 0; i < tp_after.size(); ++i) {
    EXPECT_EQ(tp_after[i].message_id, tp_before[i].message_id);
    EXPECT_EQ(tp_after[i].direction, tp_before[i].direction);
    EXPECT_EQ(tp_after[i].delivery, tp_before[i].delivery);
    EXPECT_EQ(tp_after[i].time, tp_before[i].time);
    EXPECT_EQ(tp_after[i].body, tp_before[i].body);
  }
  std::vector<std::string> emp_expected = expected;
  emp_expected.erase(emp_expected.begin() + 25);  // "twee keer verstuurd"
  std::vector<CaseMessage> emp_after = emp->Read(*case_id);
  EXPECT_EQ(Bodies(emp_after), Bodies(emp_expected));
  for (const CaseMessage& m : emp_after) {
    EXPECT_NE(m.delivery, DeliveryState::kSent);
  }
  EXPECT_EQ(tp->Cases().size(), 2u);

  // Sessions survive too: the conversation goes on after the reopen.
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "nog steeds hier", now).ok());
  EXPECT_EQ(tp->Sync(now).received, 1);
  EXPECT_EQ(emp->Sync(now).receipts, 1);
}

TEST_F(MessengerTest, ChangedIdentityBlocksTheCaseUntilAccepted) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  const absl::Time now = t0_;
  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "eerste bericht", now);
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  EXPECT_EQ(tp->Sync(now).received, 1);

  // The employee's account speaks with a new identity key (a reinstall).
  absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
  ASSERT_TRUE(keys.ok());
  crypto::MemoryStore store(std::move(keys->identity), keys->registration_id);
  absl::StatusOr<crypto::IdentityKeyPair> new_identity = store.LocalIdentity();
  ASSERT_TRUE(new_identity.ok());
  const std::string new_key = new_identity->public_key();
  auto sessions = crypto::SessionManager::Create(store, store, store, store);
  ASSERT_TRUE(sessions.ok());
  absl::StatusOr<PeerBundle> bundle = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE((*sessions)
                  ->StartSession(crypto::PeerAddress(tp->id()), bundle->bundle)
                  .ok());
  crypto::MessageCrypto new_crypto(**sessions, emp->id(),
                                   *std::move(new_identity));
  v1::AppMessage message;
  message.set_message_id(std::string(16, '\x44'));
  message.set_case_id(*case_id);
  message.set_kind(v1::AppMessage::TEXT);
  message.set_body("met een nieuwe sleutel");
  absl::StatusOr<std::string> envelope =
      new_crypto.Encrypt(tp->id(), message.SerializeAsString());
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  ASSERT_TRUE(emp->transport->Send(tp->id(), *envelope).ok());

  SyncReport r = tp->Sync(now);
  EXPECT_EQ(r.identity_changes, 1);
  EXPECT_EQ(r.received, 0);
  EXPECT_EQ(r.dropped, 0);
  std::vector<CaseSummary> cases = tp->Cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_TRUE(cases[0].identity_changed);
  EXPECT_EQ(cases[0].pending_identity_key, new_key);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      tp->messenger->SendText(*case_id, "antwoord", now)));
  // Held back, not lost: it comes again until accepted.
  EXPECT_EQ(tp->Sync(now).identity_changes, 1);

  ASSERT_TRUE(tp->messenger->AcceptSafetyNumber(*case_id).ok());
  EXPECT_FALSE(tp->Cases()[0].identity_changed);
  EXPECT_TRUE(
      absl::IsFailedPrecondition(tp->messenger->AcceptSafetyNumber(*case_id)));
  r = tp->Sync(now);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.identity_changes, 0);
  EXPECT_EQ(Bodies(tp->Read(*case_id)),
            Bodies(std::vector<std::string>{"eerste bericht",
                                            "met een nieuwe sleutel"}));
  ASSERT_TRUE(tp->messenger->SendText(*case_id, "antwoord", now).ok());

  // The receipt and the reply reach the new installation; the receipt of
  // the first message was made for the old one.
  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*emp->transport);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 3u);
  std::vector<std::string> kinds;
  for (const Envelope& e : *got) {
    absl::StatusOr<crypto::OpenedMessage> opened =
        new_crypto.Decrypt(e.content);
    if (!opened.ok()) {
      kinds.push_back("undecryptable");
      continue;
    }
    v1::AppMessage m;
    ASSERT_TRUE(m.ParseFromString(opened->plaintext));
    kinds.push_back(m.kind() == v1::AppMessage::TEXT ? m.body() : "receipt");
  }
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"undecryptable", "receipt", "antwoord"}));
}

}  // namespace
}  // namespace confidant::client
