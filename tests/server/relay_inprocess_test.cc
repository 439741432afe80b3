// The relay run in-process, with a fake clock: retention, and live delivery
// under concurrent senders. Also the services alone on the in-memory storage,
// with a worker pool the test holds up: shutdown, and key upload rules.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "crypto/sender_certificate.h"
#include "gtest/gtest.h"
#include "server/admin_service.h"
#include "server/codes.h"
#include "server/relay.h"
#include "server/relay_service.h"
#include "server/storage/memory_storage.h"
#include "server/worker_pool.h"
#include "tests/testing/test_util.h"

namespace confidant::server {
namespace {

using ::confidant::testing::TempDir;
using ::confidant::testing::XeddsaTestKey;

struct Credentials {
  std::string id;
  std::string secret;
};

void Auth(grpc::ClientContext* ctx, const Credentials& c,
          std::chrono::seconds deadline = std::chrono::seconds(60)) {
  ctx->AddMetadata("x-confidant-account-bin", c.id);
  ctx->AddMetadata("x-confidant-secret-bin", c.secret);
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
}

class RelayInProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RelayConfig config;
    config.data_dir = dir_.path() + "/relay";
    config.listen = "127.0.0.1:0";
    config.retention_days = 30;
    config.limits.send_burst = 100000;
    config.limits.send_bytes_burst = 1 << 30;
    config.limits.max_queued_per_mailbox = 20000;
    absl::StatusOr<std::unique_ptr<Relay>> relay =
        Relay::Start(config, clock_, base::SecureRandom());
    ASSERT_TRUE(relay.ok()) << relay.status();
    relay_ = *std::move(relay);
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(relay_->port()),
                            grpc::InsecureChannelCredentials());
    accounts_ = v1::Accounts::NewStub(channel_);
    keys_ = v1::Keys::NewStub(channel_);
    mailbox_ = v1::Mailbox::NewStub(channel_);
    admin_ = v1::Admin::NewStub(
        grpc::CreateChannel("unix:" + AdminSocketPath(config.data_dir),
                            grpc::InsecureChannelCredentials()));

    grpc::ClientContext c1, c2;
    v1::CreateOrganisationRequest org_req;
    org_req.set_name("Retentie BV");
    v1::CreateOrganisationResponse org;
    ASSERT_TRUE(admin_->CreateOrganisation(&c1, org_req, &org).ok());
    v1::CreateInviteRequest inv_req;
    inv_req.add_organisations(org.organisation().id());
    v1::CreateInviteResponse invite;
    ASSERT_TRUE(admin_->CreateInvite(&c2, inv_req, &invite).ok());

    v1::RegisterRequest tp;
    tp.set_invite_code(invite.invite_code());
    tp.mutable_profile()->set_display_name("Chris");
    tp.mutable_profile()->set_affiliation(
        v1::TRUST_PERSON_AFFILIATION_INTERNAL);
    trust_person_ = Register(tp);
    v1::RegisterRequest emp;
    emp.set_access_code(org.access_code());
    employee_ = Register(emp);

    XeddsaTestKey identity;
    v1::UploadKeysRequest keys;
    keys.set_identity_key(identity.public_key());
    keys.set_registration_id(1);
    keys.mutable_signed_pre_key()->set_public_key(
        ::confidant::testing::RandomPublicKey());
    keys.mutable_signed_pre_key()->set_signature(
        identity.Sign(keys.signed_pre_key().public_key()));
    grpc::ClientContext c3;
    Auth(&c3, trust_person_);
    v1::UploadKeysResponse ignored;
    ASSERT_TRUE(keys_->UploadKeys(&c3, keys, &ignored).ok());
  }

  Credentials Register(const v1::RegisterRequest& req) {
    grpc::ClientContext ctx;
    v1::RegisterResponse resp;
    EXPECT_TRUE(accounts_->Register(&ctx, req, &resp).ok());
    return {resp.account_id(), resp.secret()};
  }

  grpc::Status Send(const Credentials& from, const Credentials& to,
                    const std::string& content) {
    grpc::ClientContext ctx;
    Auth(&ctx, from);
    v1::SendRequest req;
    req.set_recipient_account_id(to.id);
    req.set_content(content);
    v1::SendResponse resp;
    return mailbox_->Send(&ctx, req, &resp);
  }

  std::vector<v1::Envelope> Drain(const Credentials& who) {
    grpc::ClientContext ctx;
    Auth(&ctx, who);
    auto reader = mailbox_->Receive(&ctx, {});
    std::vector<v1::Envelope> out;
    v1::ReceiveResponse resp;
    while (reader->Read(&resp) && !resp.has_queue_empty())
      out.push_back(resp.envelope());
    ctx.TryCancel();
    reader->Finish();
    return out;
  }

  void Ack(const Credentials& who, const std::vector<uint64_t>& seqs) {
    for (size_t i = 0; i < seqs.size(); i += 1000) {
      grpc::ClientContext ctx;
      Auth(&ctx, who);
      v1::AckRequest req;
      for (size_t j = i; j < std::min(seqs.size(), i + 1000); ++j) {
        req.add_seqs(seqs[j]);
      }
      v1::AckResponse resp;
      ASSERT_TRUE(mailbox_->Ack(&ctx, req, &resp).ok());
      EXPECT_EQ(resp.deleted(), static_cast<uint32_t>(req.seqs_size()));
    }
  }

  uint64_t DataDirBytes() {
    uint64_t total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             dir_.path() + "/relay", ec)) {
      if (entry.is_regular_file(ec)) total += entry.file_size(ec);
    }
    return total;
  }

  TempDir dir_;
  base::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<Relay> relay_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Accounts::Stub> accounts_;
  std::unique_ptr<v1::Keys::Stub> keys_;
  std::unique_ptr<v1::Mailbox::Stub> mailbox_;
  std::unique_ptr<v1::Admin::Stub> admin_;
  Credentials trust_person_, employee_;
};

TEST_F(RelayInProcessTest, UndeliveredEnvelopesExpireAfterRetention) {
  ASSERT_TRUE(Send(employee_, trust_person_, "old").ok());
  clock_.Advance(absl::Hours(24 * 20));
  ASSERT_TRUE(Send(employee_, trust_person_, "newer").ok());

  clock_.Advance(absl::Hours(24 * 9));  // 29 days after the first
  absl::StatusOr<uint64_t> expired = relay_->ExpireNow();
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 0u);

  clock_.Advance(absl::Hours(24 * 2));  // 31 days after the first
  expired = relay_->ExpireNow();
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1u);
  std::vector<v1::Envelope> left = Drain(trust_person_);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].content(), "newer");
}

// A drained mailbox gives its disk space back at the next retention pass,
// without a restart.
TEST_F(RelayInProcessTest, RetentionPassReturnsTheSpaceOfAckedEnvelopes) {
  constexpr int kCount = 12000;  // 12 MiB: more than one memtable
  std::mt19937_64 rng(11);
  std::string content(1024, '\0');
  for (int i = 0; i < kCount; ++i) {
    for (char& c : content) c = static_cast<char>(rng());
    ASSERT_TRUE(Send(employee_, trust_person_, content).ok()) << i;
  }
  std::vector<v1::Envelope> got = Drain(trust_person_);
  ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
  std::vector<uint64_t> seqs;
  for (const v1::Envelope& e : got) seqs.push_back(e.seq());
  Ack(trust_person_, seqs);
  const uint64_t before = DataDirBytes();

  ASSERT_TRUE(relay_->ExpireNow().ok());
  const uint64_t payload = uint64_t{kCount} * 1024;
  uint64_t bytes = DataDirBytes();
  for (int i = 0; i < 600 && bytes > payload / 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    bytes = DataDirBytes();
  }
  EXPECT_LE(bytes, payload / 4) << "before the pass: " << before;
  EXPECT_TRUE(Drain(trust_person_).empty());
}

TEST_F(RelayInProcessTest, LiveStreamGetsEveryConcurrentSendInOrder) {
  constexpr int kSenders = 6;
  constexpr int kPerSender = 50;
  std::vector<Credentials> senders = {employee_};
  for (int i = 1; i < kSenders; ++i) {
    // More employees of the same organisation, through a fresh access code.
    grpc::ClientContext c1, c2;
    v1::ListOrganisationsResponse orgs;
    ASSERT_TRUE(admin_->ListOrganisations(&c1, {}, &orgs).ok());
    v1::RotateAccessCodeRequest rot;
    rot.set_organisation(orgs.organisations(0).id());
    v1::RotateAccessCodeResponse code;
    ASSERT_TRUE(admin_->RotateAccessCode(&c2, rot, &code).ok());
    v1::RegisterRequest emp;
    emp.set_access_code(code.access_code());
    senders.push_back(Register(emp));
  }

  grpc::ClientContext ctx;
  Auth(&ctx, trust_person_);
  auto reader = mailbox_->Receive(&ctx, {});
  v1::ReceiveResponse resp;
  ASSERT_TRUE(reader->Read(&resp));
  ASSERT_TRUE(resp.has_queue_empty());

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kPerSender; ++i) {
        if (!Send(senders[s], trust_person_,
                  std::to_string(s) + ":" + std::to_string(i))
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  std::set<std::string> seen;
  uint64_t last_seq = 0;
  std::vector<int> next_per_sender(kSenders, 0);
  while (seen.size() < kSenders * kPerSender && reader->Read(&resp)) {
    ASSERT_TRUE(resp.has_envelope());
    EXPECT_GT(resp.envelope().seq(), last_seq);
    last_seq = resp.envelope().seq();
    const std::string& c = resp.envelope().content();
    EXPECT_TRUE(seen.insert(c).second) << "duplicate " << c;
    const int sender = std::stoi(c.substr(0, c.find(':')));
    const int index = std::stoi(c.substr(c.find(':') + 1));
    EXPECT_EQ(index, next_per_sender[sender])
        << "out of order for sender " << sender;
    next_per_sender[sender] = index + 1;
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kSenders * kPerSender));
  ctx.TryCancel();
  reader->Finish();
}

// RelayServices on the in-memory storage, served in-process, with one worker
// thread that HoldWorker() keeps busy until the test releases it.
class RelayServicesTest : public ::testing::Test {
 protected:
  RelayServicesTest()
      : storage_(NewMemoryStorage()),
        relay_keys_(*RelayKeys::InMemory(clock_, std::string(32, 'k'))),
        services_(*storage_, clock_, random_, pool_, *relay_keys_,
                  RelayLimits()) {}

  void SetUp() override {
    grpc::ServerBuilder builder;
    for (grpc::Service* service : services_.services()) {
      builder.RegisterService(service);
    }
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel = server_->InProcessChannel(grpc::ChannelArguments());
    accounts_ = v1::Accounts::NewStub(channel);
    keys_ = v1::Keys::NewStub(channel);
    certificates_ = v1::Certificates::NewStub(channel);
    mailbox_ = v1::Mailbox::NewStub(channel);

    const OrganisationRecord org{"0011223344556677", "Stop BV",
                                 clock_.NowHour()};
    ASSERT_TRUE(storage_->organisations()
                    .Create(org, DomainHash(kAccessCodeDomain, "CODE"))
                    .ok());
    employee_ = AddAccount(v1::ACCOUNT_KIND_EMPLOYEE, org.id);
    trust_person_ = AddAccount(v1::ACCOUNT_KIND_TRUST_PERSON, org.id);
  }

  void TearDown() override {
    if (!release_.HasBeenNotified()) release_.Notify();
    services_.BeginShutdown();
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(10));
    server_->Wait();
    EXPECT_TRUE(services_.WaitForCallsToFinish(absl::Seconds(10)));
  }

  Credentials AddAccount(v1::AccountKind kind, const std::string& org_id) {
    AccountRecord record;
    record.id = random_.Bytes(kAccountIdSize);
    record.kind = kind;
    const std::string secret = random_.Bytes(32);
    record.secret_hash = DomainHash(kSecretDomain, secret);
    record.organisation_ids = {org_id};
    if (kind == v1::ACCOUNT_KIND_TRUST_PERSON) {
      record.profile.set_display_name("Chris");
      record.profile.set_affiliation(v1::TRUST_PERSON_AFFILIATION_INTERNAL);
    }
    record.created_hour = clock_.NowHour();
    EXPECT_TRUE(storage_->accounts().Create(record).ok());
    return {record.id, secret};
  }

  // Keeps the only worker thread busy until release_ is notified, so calls
  // that reach the services wait in the pool's queue.
  void HoldWorker() {
    pool_.Schedule([this] { release_.WaitForNotification(); });
  }

  // Waits until at least one call has reached the services.
  bool CallInFlight() {
    for (int i = 0; i < 1000; ++i) {
      if (!services_.WaitForCallsToFinish(absl::ZeroDuration())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  grpc::Status Upload(const Credentials& who,
                      const v1::UploadKeysRequest& req) {
    grpc::ClientContext ctx;
    Auth(&ctx, who, std::chrono::seconds(10));
    v1::UploadKeysResponse resp;
    return keys_->UploadKeys(&ctx, req, &resp);
  }

  uint32_t StoredRegistrationId(const Credentials& who) {
    absl::StatusOr<IdentityRecord> identity =
        storage_->keys().GetIdentity(who.id);
    return identity.ok() ? identity->registration_id : 0;
  }

  base::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  base::FakeRandom random_{3};
  std::unique_ptr<Storage> storage_;
  WorkerPool pool_{1};
  std::unique_ptr<RelayKeys> relay_keys_;
  RelayServices services_;
  absl::Notification release_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Accounts::Stub> accounts_;
  std::unique_ptr<v1::Keys::Stub> keys_;
  std::unique_ptr<v1::Certificates::Stub> certificates_;
  std::unique_ptr<v1::Mailbox::Stub> mailbox_;
  Credentials employee_, trust_person_;
};

TEST_F(RelayServicesTest, CallsBegunAfterShutdownBeganAreRefusedAtOnce) {
  HoldWorker();
  // In flight before shutdown: it reached the services and waits for the
  // worker.
  grpc::ClientContext early_ctx;
  Auth(&early_ctx, employee_, std::chrono::seconds(20));
  v1::GetAccountRequest early_req;
  v1::GetAccountResponse early_resp;
  grpc::Status early_status;
  absl::Notification early_done;
  accounts_->async()->GetAccount(&early_ctx, &early_req, &early_resp,
                                 [&](grpc::Status st) {
                                   early_status = std::move(st);
                                   early_done.Notify();
                                 });
  ASSERT_TRUE(CallInFlight());

  services_.BeginShutdown();
  // Begun after: refused without waiting for the worker, which still waits.
  {
    grpc::ClientContext ctx;
    Auth(&ctx, employee_, std::chrono::seconds(3));
    v1::GetAccountResponse resp;
    grpc::Status st = accounts_->GetAccount(&ctx, {}, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE)
        << st.error_message();
    EXPECT_EQ(st.error_message(), "relay shutting down");
  }
  {
    grpc::ClientContext ctx;
    Auth(&ctx, employee_, std::chrono::seconds(3));
    v1::SendRequest req;
    req.set_recipient_account_id(trust_person_.id);
    req.set_content("late");
    v1::SendResponse resp;
    grpc::Status st = mailbox_->Send(&ctx, req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE)
        << st.error_message();
  }
  {
    grpc::ClientContext ctx;
    Auth(&ctx, trust_person_, std::chrono::seconds(3));
    auto reader = mailbox_->Receive(&ctx, {});
    v1::ReceiveResponse resp;
    EXPECT_FALSE(reader->Read(&resp));
    grpc::Status st = reader->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE)
        << st.error_message();
    EXPECT_EQ(st.error_message(), "relay shutting down");
  }
  EXPECT_FALSE(early_done.HasBeenNotified());

  // The call in flight finishes normally once the worker is free.
  release_.Notify();
  ASSERT_TRUE(early_done.WaitForNotificationWithTimeout(absl::Seconds(20)));
  EXPECT_TRUE(early_status.ok()) << early_status.error_message();
  EXPECT_EQ(early_resp.account_id(), employee_.id);
  EXPECT_TRUE(services_.WaitForCallsToFinish(absl::Seconds(10)));
}

// A Receive that began before shutdown but is set up after it began is
// refused as "shutting down", not as "too many streams".
TEST_F(RelayServicesTest, ReceiveSetUpAfterShutdownBeganIsUnavailable) {
  HoldWorker();
  grpc::ClientContext ctx;
  Auth(&ctx, trust_person_, std::chrono::seconds(20));
  auto reader = mailbox_->Receive(&ctx, {});
  ASSERT_TRUE(CallInFlight());
  services_.BeginShutdown();
  release_.Notify();
  v1::ReceiveResponse resp;
  EXPECT_FALSE(reader->Read(&resp));
  grpc::Status st = reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE)
      << st.error_message();
  EXPECT_EQ(st.error_message(), "relay shutting down");
}

// relay.proto: registration_id is "Required with identity_key", and only
// with it.
TEST_F(RelayServicesTest, RegistrationIdGoesWithTheIdentityKeyOnly) {
  XeddsaTestKey identity;
  auto signed_pre_key = [&](uint32_t id, v1::UploadKeysRequest* req) {
    v1::SignedPreKey* spk = req->mutable_signed_pre_key();
    spk->set_id(id);
    spk->set_public_key(::confidant::testing::RandomPublicKey());
    spk->set_signature(identity.Sign(spk->public_key()));
  };
  auto expect_refused = [&](const v1::UploadKeysRequest& req) {
    grpc::Status st = Upload(trust_person_, req);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << st.error_message();
    EXPECT_NE(st.error_message().find("registration_id"), std::string::npos)
        << st.error_message();
  };

  v1::UploadKeysRequest first;
  first.set_identity_key(identity.public_key());
  signed_pre_key(1, &first);
  expect_refused(first);  // a first upload without registration_id
  first.set_registration_id(7);
  ASSERT_TRUE(Upload(trust_person_, first).ok());
  ASSERT_EQ(StoredRegistrationId(trust_person_), 7u);

  v1::UploadKeysRequest identity_only;
  identity_only.set_identity_key(identity.public_key());
  expect_refused(identity_only);
  signed_pre_key(2, &identity_only);
  expect_refused(identity_only);

  v1::UploadKeysRequest registration_only;
  registration_only.set_registration_id(9);
  expect_refused(registration_only);
  signed_pre_key(3, &registration_only);
  v1::OneTimePreKey* otk = registration_only.add_one_time_pre_keys();
  otk->set_id(1);
  otk->set_public_key(::confidant::testing::RandomPublicKey());
  expect_refused(registration_only);
  EXPECT_EQ(StoredRegistrationId(trust_person_), 7u);
  EXPECT_EQ(*storage_->keys().CountOneTimePreKeys(trust_person_.id), 0u);

  // Both together: accepted, and the new id is what peers get.
  v1::UploadKeysRequest both;
  both.set_identity_key(identity.public_key());
  both.set_registration_id(9);
  ASSERT_TRUE(Upload(trust_person_, both).ok());
  EXPECT_EQ(StoredRegistrationId(trust_person_), 9u);
  // Rotation and one-time pre-keys alone still need neither.
  v1::UploadKeysRequest rotation;
  signed_pre_key(4, &rotation);
  *rotation.add_one_time_pre_keys() = *otk;
  EXPECT_TRUE(Upload(trust_person_, rotation).ok());
  EXPECT_EQ(StoredRegistrationId(trust_person_), 9u);
}

v1::UploadKeysRequest FirstUpload(const XeddsaTestKey& identity) {
  v1::UploadKeysRequest req;
  req.set_identity_key(identity.public_key());
  req.set_registration_id(5);
  v1::SignedPreKey* spk = req.mutable_signed_pre_key();
  spk->set_id(1);
  spk->set_public_key(::confidant::testing::RandomPublicKey());
  spk->set_signature(identity.Sign(spk->public_key()));
  return req;
}

TEST_F(RelayServicesTest, SenderCertificatesNameTheCallerAndItsIdentityKey) {
  // The chain needs no credentials.
  {
    grpc::ClientContext ctx;
    v1::GetRelayKeysResponse resp;
    ASSERT_TRUE(certificates_->GetRelayKeys(&ctx, {}, &resp).ok());
    ASSERT_EQ(resp.keys_size(), 1);
    EXPECT_EQ(resp.keys(0).id(), 1u);
    EXPECT_EQ(resp.keys(0).public_key(), relay_keys_->Chain()[0].public_key);
    EXPECT_EQ(resp.keys(0).created_hour(), clock_.NowHour());
    EXPECT_TRUE(resp.keys(0).endorsement().empty());
  }
  auto certificate = [&](const Credentials* who,
                         v1::GetSenderCertificateResponse* resp) {
    grpc::ClientContext ctx;
    if (who != nullptr) {
      Auth(&ctx, *who, std::chrono::seconds(10));
    }
    return certificates_->GetSenderCertificate(&ctx, {}, resp);
  };
  v1::GetSenderCertificateResponse resp;
  EXPECT_EQ(certificate(nullptr, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  Credentials wrong = employee_;
  wrong.secret[0] ^= 1;
  EXPECT_EQ(certificate(&wrong, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status st = certificate(&employee_, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "upload your keys"));

  XeddsaTestKey identity;
  ASSERT_TRUE(Upload(employee_, FirstUpload(identity)).ok());
  st = certificate(&employee_, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.certificate().size(), crypto::kSenderCertificateSize);
  absl::StatusOr<crypto::SenderCertificate> parsed =
      crypto::ParseSenderCertificate(resp.certificate());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(relay_keys_->Chain());
  ASSERT_TRUE(ring.ok());
  EXPECT_TRUE(ring->Verify(*parsed, clock_.NowHour()).ok());
  EXPECT_EQ(parsed->account_id, employee_.id);
  EXPECT_EQ(parsed->identity_key, identity.public_key());
  EXPECT_EQ(parsed->expiry_hour, clock_.NowHour() + 168);
  EXPECT_EQ(parsed->signer_key_id, 1u);

  // After a rotation: signed by key 2, and the chain shows both keys.
  ASSERT_TRUE(relay_keys_->Rotate().ok());
  ASSERT_TRUE(certificate(&employee_, &resp).ok());
  parsed = crypto::ParseSenderCertificate(resp.certificate());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->signer_key_id, 2u);
  {
    grpc::ClientContext ctx;
    v1::GetRelayKeysResponse keys;
    ASSERT_TRUE(certificates_->GetRelayKeys(&ctx, {}, &keys).ok());
    std::vector<crypto::RelayPublicKey> chain;
    for (const v1::RelayKey& k : keys.keys()) {
      chain.push_back(
          {k.id(), k.public_key(), k.created_hour(), k.endorsement()});
    }
    ASSERT_EQ(chain.size(), 2u);
    ring = crypto::RelayKeyRing::FromChain(chain);
    ASSERT_TRUE(ring.ok()) << ring.status();
    EXPECT_TRUE(ring->Verify(*parsed, clock_.NowHour()).ok());
  }

  // Rate limited per caller: a burst of 20 by default, then 1 per second.
  // Every authenticated request counts, the refused one before the upload
  // too.
  int requests = 3;
  while (certificate(&employee_, &resp).ok() && requests < 100) ++requests;
  EXPECT_EQ(requests, 20);
  st = certificate(&employee_, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(certificate(&employee_, &resp).ok());
}

// issue 11, section 4: keys of small order (and second encodings of keys)
// are refused at upload, whichever key they are.
TEST_F(RelayServicesTest, SmallOrderKeysAreRefusedAtUpload) {
  XeddsaTestKey identity;
  std::string zero(33, '\0');
  zero[0] = 0x05;
  std::string one = zero;
  one[1] = 1;
  std::string order_8 = "\x05";
  for (unsigned char b :
       {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
        0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
        0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00}) {
    order_8.push_back(static_cast<char>(b));
  }
  std::string p(33, '\xff');  // 2^255 - 19: 0 again
  p[0] = 0x05;
  p[1] = static_cast<char>(0xed);
  p[32] = 0x7f;
  auto expect_refused = [&](const v1::UploadKeysRequest& req,
                            const std::string& field,
                            const std::string& problem) {
    grpc::Status st = Upload(trust_person_, req);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << st.error_message();
    EXPECT_TRUE(absl::StartsWith(st.error_message(), field))
        << st.error_message();
    EXPECT_TRUE(absl::StrContains(st.error_message(), problem))
        << st.error_message();
    EXPECT_TRUE(absl::IsNotFound(
        storage_->keys().GetIdentity(trust_person_.id).status()));
  };
  for (const std::string& bad : {zero, one, order_8}) {
    v1::UploadKeysRequest req = FirstUpload(identity);
    req.set_identity_key(bad);
    expect_refused(req, "identity_key", "small order");
    req = FirstUpload(identity);
    req.mutable_signed_pre_key()->set_public_key(bad);
    req.mutable_signed_pre_key()->set_signature(identity.Sign(bad));
    expect_refused(req, "signed_pre_key.public_key", "small order");
    req = FirstUpload(identity);
    v1::OneTimePreKey* otk = req.add_one_time_pre_keys();
    otk->set_id(1);
    otk->set_public_key(::confidant::testing::RandomPublicKey());
    otk = req.add_one_time_pre_keys();
    otk->set_id(2);
    otk->set_public_key(bad);
    expect_refused(req, "one_time_pre_keys.public_key", "small order");
  }
  v1::UploadKeysRequest req = FirstUpload(identity);
  req.set_identity_key(p);
  expect_refused(req, "identity_key", "not a canonical");
  std::string high = identity.public_key();
  high[32] = static_cast<char>(high[32] | 0x80);
  req = FirstUpload(identity);
  req.set_identity_key(high);
  expect_refused(req, "identity_key", "not a canonical");
  // The honest upload still works.
  EXPECT_TRUE(Upload(trust_person_, FirstUpload(identity)).ok());
}

}  // namespace
}  // namespace confidant::server
