// One contract for client/transport.h, run against both implementations: the
// FakeRelay (client/testing/fake_relay.h) and the real confidant-relay on
// 127.0.0.1 port 0 through GrpcTransport, with organisations and invites made
// by the real confidant-admin. What passes here the fake may stand in for.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/grpc_transport.h"
#include "client/testing/fake_relay.h"
#include "client/transport.h"
#include "confidant/v1/admin.pb.h"
#include "crypto/keys.h"
#include "crypto/sender_certificate.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A relay as the contract sees it: transports for clients, and the
// administrator's side.
class RelayUnderTest {
 public:
  struct CreatedOrganisation {
    Organisation organisation;
    std::string access_code;
  };

  virtual ~RelayUnderTest() = default;
  virtual std::unique_ptr<RelayTransport> NewTransport() = 0;
  virtual CreatedOrganisation CreateOrganisation(const std::string& name) = 0;
  virtual std::string CreateInvite(const std::string& organisation_id) = 0;
};

class FakeRelayUnderTest final : public RelayUnderTest {
 public:
  FakeRelayUnderTest() {
    absl::StatusOr<std::unique_ptr<FakeRelay>> relay = FakeRelay::Create();
    EXPECT_TRUE(relay.ok()) << relay.status();
    relay_ = *std::move(relay);
  }

  std::unique_ptr<RelayTransport> NewTransport() override {
    return relay_->NewTransport();
  }
  CreatedOrganisation CreateOrganisation(const std::string& name) override {
    absl::StatusOr<FakeRelay::CreatedOrganisation> org =
        relay_->CreateOrganisation(name);
    EXPECT_TRUE(org.ok()) << org.status();
    if (!org.ok()) return {};
    return {org->organisation, org->access_code};
  }
  std::string CreateInvite(const std::string& organisation_id) override {
    absl::StatusOr<std::string> invite =
        relay_->CreateInvite({organisation_id});
    EXPECT_TRUE(invite.ok()) << invite.status();
    return invite.value_or("");
  }

 private:
  std::unique_ptr<FakeRelay> relay_;
};

// The real relay binary, shared by the tests of one process (ctest runs each
// test in its own process; a direct run of the binary shares one relay).
class RealRelayUnderTest final : public RelayUnderTest {
 public:
  RealRelayUnderTest() {
    const std::string config = dir_.path() + "/relay.toml";
    std::ofstream(config) << "[limits]\n"
                             "bundle_per_second = 1.0\n"
                             "bundle_burst = 1000.0\n";
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config});
    started_ = relay_->Start();
    EXPECT_TRUE(started_) << relay_->Log();
  }

  bool started() const { return started_; }

  std::unique_ptr<RelayTransport> NewTransport() override {
    GrpcTransportOptions options;
    options.address = relay_->address();
    options.insecure = true;
    absl::StatusOr<std::unique_ptr<RelayTransport>> t =
        CreateGrpcTransport(options);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *std::move(t) : nullptr;
  }
  CreatedOrganisation CreateOrganisation(const std::string& name) override {
    auto org = ::confidant::testing::AdminJson<v1::CreateOrganisationResponse>(
        CONFIDANT_ADMIN_BIN, data_dir_, {"org", "create", name});
    return {Organisation{org.organisation().id(), org.organisation().name()},
            org.access_code()};
  }
  std::string CreateInvite(const std::string& organisation_id) override {
    auto invite = ::confidant::testing::AdminJson<v1::CreateInviteResponse>(
        CONFIDANT_ADMIN_BIN, data_dir_,
        {"invite", "create", "--org", organisation_id});
    return invite.invite_code();
  }

 private:
  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  bool started_ = false;
};

enum class Backend { kFake, kRealRelay };

// A registered client: its transport (with credentials) and what the relay
// returned.
struct Client {
  std::unique_ptr<RelayTransport> transport;
  Registration registration;
  std::optional<crypto::IdentityKeyPair> identity;

  const std::string& id() const { return registration.account_id; }
};

class TransportContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void TearDownTestSuite() { real_relay_.reset(); }

  void SetUp() override {
    if (GetParam() == Backend::kFake) {
      fake_ = std::make_unique<FakeRelayUnderTest>();
      relay_ = fake_.get();
    } else {
      if (real_relay_ == nullptr) {
        real_relay_ = std::make_unique<RealRelayUnderTest>();
      }
      ASSERT_TRUE(real_relay_->started());
      relay_ = real_relay_.get();
    }
    // Each test its own organisation, as tests may share a relay.
    org_ = relay_->CreateOrganisation(
        absl::StrCat("Gemeente ", ++organisation_counter_));
    ASSERT_FALSE(org_.access_code.empty());
  }

  static TrustPersonProfile Profile() {
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl", "en"};
    profile.intro = "Vertrouwenspersoon sinds 2015.";
    return profile;
  }

  // Takes the registration's credentials into the client's transport.
  static Client Registered(std::unique_ptr<RelayTransport> transport,
                           absl::StatusOr<Registration> registration) {
    EXPECT_TRUE(registration.ok()) << registration.status();
    Client client;
    client.transport = std::move(transport);
    if (!registration.ok()) return client;
    client.registration = *std::move(registration);
    client.transport->SetCredentials(client.registration.account_id,
                                     client.registration.secret.Clone());
    return client;
  }

  Client NewEmployee() {
    std::unique_ptr<RelayTransport> t = relay_->NewTransport();
    absl::StatusOr<Registration> r = t->RegisterEmployee(org_.access_code);
    return Registered(std::move(t), std::move(r));
  }

  Client NewTrustPerson() {
    std::unique_ptr<RelayTransport> t = relay_->NewTransport();
    absl::StatusOr<Registration> r = t->RegisterTrustPerson(
        relay_->CreateInvite(org_.organisation.id), Profile());
    return Registered(std::move(t), std::move(r));
  }

  // The first upload: a fresh identity, signed pre-key 1 and one-time
  // pre-keys with `one_time_ids`. Returns the relay's count.
  static absl::StatusOr<uint32_t> UploadInitialKeys(
      Client& client, const std::vector<uint32_t>& one_time_ids) {
    absl::StatusOr<crypto::IdentityKeyPair> identity =
        crypto::IdentityKeyPair::Generate();
    if (!identity.ok()) return identity.status();
    absl::StatusOr<crypto::SignedPreKeyPair> signed_pre_key =
        crypto::GenerateSignedPreKey(*identity, 1, absl::Now());
    if (!signed_pre_key.ok()) return signed_pre_key.status();
    KeyUpload upload;
    upload.identity_key = identity->public_key();
    upload.registration_id = 1234;
    upload.signed_pre_key = SignedPreKeyUpload{1, signed_pre_key->public_key,
                                               signed_pre_key->signature};
    for (uint32_t id : one_time_ids) {
      absl::StatusOr<std::vector<crypto::OneTimePreKeyPair>> keys =
          crypto::GenerateOneTimePreKeys(id, 1);
      if (!keys.ok()) return keys.status();
      upload.one_time_pre_keys.push_back(
          OneTimePreKeyUpload{id, keys->front().public_key});
    }
    client.identity = *std::move(identity);
    return client.transport->UploadKeys(upload);
  }

  // An employee and a trust person of the organisation, both with keys.
  void NewPair(Client* out_employee, Client* out_trust_person) {
    *out_employee = NewEmployee();
    *out_trust_person = NewTrustPerson();
    ASSERT_TRUE(UploadInitialKeys(*out_employee, {}).ok());
    ASSERT_TRUE(UploadInitialKeys(*out_trust_person, {}).ok());
  }

  static ReceiveEvent ReadOk(ReceiveStream& stream) {
    absl::StatusOr<ReceiveEvent> event = stream.Read();
    EXPECT_TRUE(event.ok()) << event.status();
    return event.value_or(ReceiveEvent{});
  }

  static inline std::unique_ptr<RealRelayUnderTest> real_relay_;
  static inline int organisation_counter_ = 0;
  std::unique_ptr<FakeRelayUnderTest> fake_;
  RelayUnderTest* relay_ = nullptr;
  RelayUnderTest::CreatedOrganisation org_;
};

TEST_P(TransportContractTest, RegistersEmployeesWithTheAccessCode) {
  Client employee = NewEmployee();
  EXPECT_EQ(employee.id().size(), 16u);
  EXPECT_EQ(employee.registration.secret.size(), 32u);
  EXPECT_EQ(employee.registration.kind, AccountKind::kEmployee);
  EXPECT_THAT(employee.registration.organisations,
              ElementsAre(org_.organisation));

  // Codes are read as typed by people: lower case, without dashes.
  std::string typed;
  for (char c : org_.access_code) {
    if (c != '-') typed.push_back(static_cast<char>(std::tolower(c)));
  }
  std::unique_ptr<RelayTransport> t = relay_->NewTransport();
  absl::StatusOr<Registration> again = t->RegisterEmployee(typed);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(again->account_id, employee.id());

  absl::StatusOr<Registration> wrong = t->RegisterEmployee("AAAAA-BBBBB");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(wrong.status().message(), HasSubstr("unknown access code"));
  EXPECT_EQ(t->RegisterEmployee("not a code!").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(TransportContractTest, RegistersATrustPersonOncePerInvite) {
  const std::string invite = relay_->CreateInvite(org_.organisation.id);
  std::unique_ptr<RelayTransport> t = relay_->NewTransport();
  absl::StatusOr<Registration> tp = t->RegisterTrustPerson(invite, Profile());
  ASSERT_TRUE(tp.ok()) << tp.status();
  EXPECT_EQ(tp->kind, AccountKind::kTrustPerson);
  EXPECT_THAT(tp->organisations, ElementsAre(org_.organisation));

  absl::StatusOr<Registration> used = t->RegisterTrustPerson(invite, Profile());
  EXPECT_EQ(used.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(used.status().message(), HasSubstr("already used invite"));
  // An access code is no invite.
  EXPECT_EQ(t->RegisterTrustPerson(org_.access_code, Profile()).status().code(),
            absl::StatusCode::kPermissionDenied);

  TrustPersonProfile nameless = Profile();
  nameless.display_name.clear();
  EXPECT_EQ(t->RegisterTrustPerson(relay_->CreateInvite(org_.organisation.id),
                                   nameless)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(TransportContractTest, FirstUploadNeedsIdentityAndSignedPreKey) {
  Client tp = NewTrustPerson();
  KeyUpload only_one_time;
  absl::StatusOr<std::vector<crypto::OneTimePreKeyPair>> keys =
      crypto::GenerateOneTimePreKeys(1, 1);
  ASSERT_TRUE(keys.ok());
  only_one_time.one_time_pre_keys.push_back({1, keys->front().public_key});
  EXPECT_EQ(tp.transport->UploadKeys(only_one_time).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // A signed pre-key whose signature is not the identity's.
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      crypto::IdentityKeyPair::Generate();
  absl::StatusOr<crypto::IdentityKeyPair> other =
      crypto::IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok() && other.ok());
  absl::StatusOr<crypto::SignedPreKeyPair> spk =
      crypto::GenerateSignedPreKey(*other, 1, absl::Now());
  ASSERT_TRUE(spk.ok());
  KeyUpload forged;
  forged.identity_key = identity->public_key();
  forged.registration_id = 77;
  forged.signed_pre_key =
      SignedPreKeyUpload{1, spk->public_key, spk->signature};
  absl::StatusOr<uint32_t> refused = tp.transport->UploadKeys(forged);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("does not verify"));

  absl::StatusOr<uint32_t> count = UploadInitialKeys(tp, {1, 2, 3});
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 3u);
  // Later uploads may carry one-time pre-keys alone.
  absl::StatusOr<uint32_t> more = tp.transport->UploadKeys(only_one_time);
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_EQ(*more, 3u);  // id 1 again: replaced, not added

  // Another identity needs replace_identity.
  KeyUpload other_identity;
  other_identity.identity_key = other->public_key();
  other_identity.registration_id = 78;
  other_identity.signed_pre_key =
      SignedPreKeyUpload{2, spk->public_key, spk->signature};
  EXPECT_EQ(tp.transport->UploadKeys(other_identity).status().code(),
            absl::StatusCode::kFailedPrecondition);
  other_identity.replace_identity = true;
  absl::StatusOr<uint32_t> replaced = tp.transport->UploadKeys(other_identity);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(*replaced, 0u);  // the old identity's one-time pre-keys are gone
}

TEST_P(TransportContractTest, HandsOutOneTimePreKeysLowestIdFirstOnce) {
  Client employee = NewEmployee();
  Client tp = NewTrustPerson();
  ASSERT_TRUE(UploadInitialKeys(employee, {}).ok());

  absl::StatusOr<PeerBundle> none =
      employee.transport->GetPreKeyBundle(tp.id());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<uint32_t> uploaded = UploadInitialKeys(tp, {9, 3, 5});
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  EXPECT_EQ(*uploaded, 3u);
  EXPECT_EQ(tp.transport->GetPreKeyCount().value_or(99), 3u);

  std::vector<uint32_t> handed_out;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<PeerBundle> b = employee.transport->GetPreKeyBundle(tp.id());
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(b->account_id, tp.id());
    EXPECT_EQ(b->bundle.identity_key, tp.identity->public_key());
    EXPECT_EQ(b->bundle.registration_id, 1234u);
    EXPECT_EQ(b->bundle.device_id, 1u);
    EXPECT_EQ(b->bundle.signed_pre_key_id, 1u);
    EXPECT_TRUE(crypto::VerifySignature(b->bundle.identity_key,
                                        b->bundle.signed_pre_key_public,
                                        b->bundle.signed_pre_key_signature));
    ASSERT_TRUE(b->bundle.one_time_pre_key.has_value());
    handed_out.push_back(b->bundle.one_time_pre_key->id);
    EXPECT_EQ(tp.transport->GetPreKeyCount().value_or(99),
              static_cast<uint32_t>(2 - i));
  }
  EXPECT_THAT(handed_out, ElementsAre(3u, 5u, 9u));

  // Without one-time pre-keys the bundle still works.
  absl::StatusOr<PeerBundle> last =
      employee.transport->GetPreKeyBundle(tp.id());
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_FALSE(last->bundle.one_time_pre_key.has_value());
  EXPECT_EQ(last->bundle.identity_key, tp.identity->public_key());
  EXPECT_EQ(employee.transport->GetPreKeyCount().value_or(99), 0u);
}

TEST_P(TransportContractTest, BundlesOnlyOfPeopleTheCallerMayContact) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  Client colleague = NewEmployee();
  ASSERT_TRUE(UploadInitialKeys(colleague, {1}).ok());
  EXPECT_EQ(employee.transport->GetPreKeyBundle(colleague.id()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      employee.transport->GetPreKeyBundle(std::string(16, 'x')).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(employee.transport->GetPreKeyBundle("short").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tp.transport->GetPreKeyBundle(colleague.id()).status().code(),
            absl::StatusCode::kOk);
}

TEST_P(TransportContractTest, ListsTrustPersonsWithKeysOnly) {
  Client employee = NewEmployee();
  Client tp = NewTrustPerson();
  absl::StatusOr<TrustPersonList> before =
      employee.transport->ListTrustPersons("");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->organisation, org_.organisation);
  EXPECT_TRUE(before->trust_persons.empty());

  ASSERT_TRUE(UploadInitialKeys(tp, {}).ok());
  absl::StatusOr<TrustPersonList> after =
      employee.transport->ListTrustPersons(org_.organisation.id);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->trust_persons.size(), 1u);
  EXPECT_EQ(after->trust_persons[0].account_id, tp.id());
  EXPECT_EQ(after->trust_persons[0].profile, Profile());
  EXPECT_EQ(after->trust_persons[0].identity_key, tp.identity->public_key());

  RelayUnderTest::CreatedOrganisation other =
      relay_->CreateOrganisation(absl::StrCat("Andere ", org_.organisation.id));
  EXPECT_EQ(employee.transport->ListTrustPersons(other.organisation.id)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(TransportContractTest, ReceivesQueuedInOrderThenOneMarkerThenLive) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  std::vector<uint64_t> seqs;
  for (const char* content : {"een", "twee", "drie"}) {
    absl::StatusOr<uint64_t> seq = employee.transport->Send(tp.id(), content);
    ASSERT_TRUE(seq.ok()) << seq.status();
    if (!seqs.empty()) {
      EXPECT_GT(*seq, seqs.back());
    }
    seqs.push_back(*seq);
  }

  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp.transport->OpenReceive();
  ASSERT_TRUE(stream.ok()) << stream.status();
  std::vector<std::string> contents;
  for (int i = 0; i < 3; ++i) {
    ReceiveEvent event = ReadOk(**stream);
    ASSERT_FALSE(event.queue_empty);
    EXPECT_EQ(event.envelope.seq, seqs[i]);
    EXPECT_GT(event.envelope.stored_hour, 0u);
    contents.push_back(event.envelope.content);
  }
  EXPECT_THAT(contents, ElementsAre("een", "twee", "drie"));
  EXPECT_TRUE(ReadOk(**stream).queue_empty);

  // Live envelopes follow, with no second marker.
  for (const char* content : {"vier", "vijf"}) {
    absl::StatusOr<uint64_t> seq = employee.transport->Send(tp.id(), content);
    ASSERT_TRUE(seq.ok()) << seq.status();
    ReceiveEvent event = ReadOk(**stream);
    ASSERT_FALSE(event.queue_empty);
    EXPECT_EQ(event.envelope.seq, *seq);
    EXPECT_EQ(event.envelope.content, content);
  }
  (*stream)->Cancel();
  EXPECT_FALSE((*stream)->Read().ok());

  // An empty mailbox gives the marker at once; the sender's own mailbox is
  // its own.
  absl::StatusOr<std::vector<Envelope>> empty =
      DrainMailbox(*employee.transport);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
}

TEST_P(TransportContractTest, LiveEnvelopeWakesABlockedRead) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      employee.transport->OpenReceive();
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_TRUE(ReadOk(**stream).queue_empty);

  absl::StatusOr<ReceiveEvent> live;
  std::thread reader([&] { live = (*stream)->Read(); });
  absl::SleepFor(absl::Milliseconds(100));  // let it block
  absl::StatusOr<uint64_t> seq = tp.transport->Send(employee.id(), "antwoord");
  ASSERT_TRUE(seq.ok()) << seq.status();
  reader.join();
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_EQ(live->envelope.seq, *seq);
  EXPECT_EQ(live->envelope.content, "antwoord");
}

TEST_P(TransportContractTest, CancelFromAnotherThreadEndsABlockedRead) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp.transport->OpenReceive();
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_TRUE(ReadOk(**stream).queue_empty);

  absl::StatusOr<ReceiveEvent> blocked;
  std::thread reader([&] { blocked = (*stream)->Read(); });
  absl::SleepFor(absl::Milliseconds(100));
  (*stream)->Cancel();
  reader.join();
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ((*stream)->Read().status().code(), absl::StatusCode::kCancelled);
}

TEST_P(TransportContractTest, AckDeletesAndUnackedEnvelopesComeAgain) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  std::vector<uint64_t> seqs;
  for (const char* content : {"a", "b", "c"}) {
    absl::StatusOr<uint64_t> seq = employee.transport->Send(tp.id(), content);
    ASSERT_TRUE(seq.ok()) << seq.status();
    seqs.push_back(*seq);
  }
  absl::StatusOr<std::vector<Envelope>> first = DrainMailbox(*tp.transport);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 3u);

  // Acks count only envelopes that existed: unknown seqs and repeats are 0.
  const std::vector<uint64_t> ack = {seqs[0], seqs[2], seqs[2] + 1000};
  EXPECT_EQ(tp.transport->Ack(ack).value_or(99), 2u);
  EXPECT_EQ(tp.transport->Ack(ack).value_or(99), 0u);

  absl::StatusOr<std::vector<Envelope>> second = DrainMailbox(*tp.transport);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].seq, seqs[1]);
  EXPECT_EQ((*second)[0].content, "b");

  EXPECT_EQ(tp.transport->Ack({seqs[1]}).value_or(99), 1u);
  absl::StatusOr<std::vector<Envelope>> third = DrainMailbox(*tp.transport);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_TRUE(third->empty());

  // Sequence numbers are never reused, also once the mailbox is empty.
  absl::StatusOr<uint64_t> next = employee.transport->Send(tp.id(), "d");
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_GT(*next, seqs[2]);

  EXPECT_EQ(tp.transport->Ack({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tp.transport->Ack(std::vector<uint64_t>(1001, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Another account's seqs are not the caller's to delete.
  EXPECT_EQ(employee.transport->Ack({*next}).value_or(99), 0u);
  EXPECT_EQ(
      DrainMailbox(*tp.transport).value_or(std::vector<Envelope>{}).size(), 1u);
}

TEST_P(TransportContractTest, RefusesCallsWithoutValidCredentials) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  std::unique_ptr<RelayTransport> anonymous = relay_->NewTransport();
  std::unique_ptr<RelayTransport> wrong = relay_->NewTransport();
  wrong->SetCredentials(tp.id(), crypto::SecretBytes(32));
  for (RelayTransport* t : {anonymous.get(), wrong.get()}) {
    constexpr auto kUnauthenticated = absl::StatusCode::kUnauthenticated;
    EXPECT_EQ(t->UploadKeys(KeyUpload{}).status().code(), kUnauthenticated);
    EXPECT_EQ(t->GetPreKeyBundle(tp.id()).status().code(), kUnauthenticated);
    EXPECT_EQ(t->GetPreKeyCount().status().code(), kUnauthenticated);
    EXPECT_EQ(t->ListTrustPersons("").status().code(), kUnauthenticated);
    EXPECT_EQ(t->GetSenderCertificate().status().code(), kUnauthenticated);
    EXPECT_EQ(t->Send(tp.id(), "x").status().code(), kUnauthenticated);
    EXPECT_EQ(t->Ack({1}).status().code(), kUnauthenticated);
    absl::StatusOr<std::unique_ptr<ReceiveStream>> stream = t->OpenReceive();
    ASSERT_TRUE(stream.ok()) << stream.status();  // errors come on Read()
    EXPECT_EQ((*stream)->Read().status().code(), kUnauthenticated);
    // The relay's keys need no credentials.
    EXPECT_TRUE(t->GetRelayKeys().ok());
  }
  absl::StatusOr<uint32_t> wrong_secret = wrong->GetPreKeyCount();
  EXPECT_THAT(wrong_secret.status().message(),
              HasSubstr("unknown account or wrong secret"));
  EXPECT_THAT(anonymous->GetPreKeyCount().status().message(),
              HasSubstr("missing credentials"));
}

TEST_P(TransportContractTest, RelayKeysVerifyTheSenderCertificate) {
  Client employee = NewEmployee();
  absl::StatusOr<std::vector<crypto::RelayPublicKey>> keys =
      employee.transport->GetRelayKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_FALSE(keys->empty());
  EXPECT_EQ((*keys)[0].id, 1u);
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(*keys);
  ASSERT_TRUE(ring.ok()) << ring.status();

  absl::StatusOr<std::string> early =
      employee.transport->GetSenderCertificate();
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(UploadInitialKeys(employee, {}).ok());
  absl::StatusOr<std::string> wire = employee.transport->GetSenderCertificate();
  ASSERT_TRUE(wire.ok()) << wire.status();
  absl::StatusOr<crypto::SenderCertificate> certificate =
      crypto::ParseSenderCertificate(*wire);
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  EXPECT_EQ(certificate->account_id, employee.id());
  EXPECT_EQ(certificate->identity_key, employee.identity->public_key());
  const auto now_hour =
      static_cast<uint32_t>(absl::ToUnixSeconds(absl::Now()) / 3600);
  EXPECT_GE(certificate->expiry_hour,
            now_hour + crypto::kSenderCertificateLifetimeHours - 1);
  EXPECT_TRUE(ring->Verify(*certificate, now_hour).ok());

  // Altered, it no longer verifies.
  absl::StatusOr<crypto::IdentityKeyPair> other =
      crypto::IdentityKeyPair::Generate();
  ASSERT_TRUE(other.ok());
  certificate->identity_key = other->public_key();
  EXPECT_FALSE(ring->Verify(*certificate, now_hour).ok());
}

TEST_P(TransportContractTest, RefusesEmptyOversizedAndMisaddressedContent) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  absl::StatusOr<uint64_t> empty = employee.transport->Send(tp.id(), "");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("content is empty"));

  const std::string largest(256 * 1024, 'x');
  EXPECT_TRUE(employee.transport->Send(tp.id(), largest).ok());
  absl::StatusOr<uint64_t> too_large =
      employee.transport->Send(tp.id(), largest + "x");
  EXPECT_EQ(too_large.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(too_large.status().message(), HasSubstr("262144 bytes"));

  absl::StatusOr<uint64_t> unknown =
      employee.transport->Send(std::string(16, '\x01'), "x");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(unknown.status().message(), HasSubstr("no such recipient"));
  EXPECT_EQ(employee.transport->Send("short", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Employees talk to trust persons only, never to each other.
  Client colleague = NewEmployee();
  EXPECT_EQ(employee.transport->Send(colleague.id(), "x").status().code(),
            absl::StatusCode::kPermissionDenied);

  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*tp.transport);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].content.size(), largest.size());
}

TEST_P(TransportContractTest, ConcurrentSendsGetDistinctSeqsInDeliveryOrder) {
  Client employee, tp;
  ASSERT_NO_FATAL_FAILURE(NewPair(&employee, &tp));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<uint64_t> seq = employee.transport->Send(
            tp.id(), absl::StrCat("bericht ", t, "/", i));
        EXPECT_TRUE(seq.ok()) << seq.status();
        seqs[t].push_back(seq.value_or(0));
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  std::set<uint64_t> all;
  for (const std::vector<uint64_t>& own : seqs) {
    // One sender's envelopes are numbered in the order it sent them.
    EXPECT_TRUE(std::is_sorted(own.begin(), own.end()));
    all.insert(own.begin(), own.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));

  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*tp.transport);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<uint64_t> delivered;
  for (const Envelope& e : *got) delivered.push_back(e.seq);
  EXPECT_EQ(delivered, std::vector<uint64_t>(all.begin(), all.end()));
}

INSTANTIATE_TEST_SUITE_P(Backends, TransportContractTest,
                         ::testing::Values(Backend::kFake, Backend::kRealRelay),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::kFake ? "FakeRelay"
                                                                : "RealRelay";
                         });

}  // namespace
}  // namespace confidant::client
