// Drives the real confidant-relay binary over loopback (port 0, temporary data
// directory) with real gRPC clients and the real confidant-admin tool.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/hex.h"
#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "crypto/sender_certificate.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant {
namespace {

namespace fs = std::filesystem;
using ::confidant::testing::CommandResult;
using ::confidant::testing::RelayProcess;
using ::confidant::testing::RunCommand;
using ::confidant::testing::TempDir;
using ::confidant::testing::XeddsaTestKey;

struct Account {
  std::string id;
  std::string secret;
  std::unique_ptr<XeddsaTestKey> identity = std::make_unique<XeddsaTestKey>();
  std::string organisation_name;
};

class Client {
 public:
  explicit Client(const std::string& address,
                  std::shared_ptr<grpc::ChannelCredentials> creds =
                      grpc::InsecureChannelCredentials(),
                  const grpc::ChannelArguments& args = {})
      : channel_(grpc::CreateCustomChannel(address, creds, args)),
        accounts(v1::Accounts::NewStub(channel_)),
        keys(v1::Keys::NewStub(channel_)),
        directory(v1::Directory::NewStub(channel_)),
        certificates(v1::Certificates::NewStub(channel_)),
        mailbox(v1::Mailbox::NewStub(channel_)),
        health(grpc::health::v1::Health::NewStub(channel_)) {}

  std::shared_ptr<grpc::Channel> channel() { return channel_; }

  static void Auth(grpc::ClientContext* ctx, const Account& a) {
    ctx->AddMetadata("x-confidant-account-bin", a.id);
    ctx->AddMetadata("x-confidant-secret-bin", a.secret);
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(20));
  }

  grpc::StatusCode HealthStatus() {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status st = health->Check(&ctx, req, &resp);
    if (!st.ok()) return st.error_code();
    return resp.status() == grpc::health::v1::HealthCheckResponse::SERVING
               ? grpc::StatusCode::OK
               : grpc::StatusCode::UNAVAILABLE;
  }

  grpc::Status Register(const v1::RegisterRequest& req, Account* out) {
    grpc::ClientContext ctx;
    v1::RegisterResponse resp;
    grpc::Status st = accounts->Register(&ctx, req, &resp);
    if (st.ok()) {
      out->id = resp.account_id();
      out->secret = resp.secret();
      if (resp.organisations_size() > 0) {
        out->organisation_name = resp.organisations(0).name();
      }
    }
    return st;
  }

  grpc::Status UploadKeys(const Account& a, const v1::UploadKeysRequest& req,
                          v1::UploadKeysResponse* resp = nullptr) {
    grpc::ClientContext ctx;
    Auth(&ctx, a);
    v1::UploadKeysResponse ignored;
    return keys->UploadKeys(&ctx, req, resp != nullptr ? resp : &ignored);
  }

  // A full first upload: identity, signed pre-key and `one_time` keys with ids
  // first_id, first_id+1, ...
  grpc::Status UploadInitialKeys(const Account& a, int one_time,
                                 uint32_t first_id = 1) {
    v1::UploadKeysRequest req;
    req.set_identity_key(a.identity->public_key());
    req.set_registration_id(4242);
    v1::SignedPreKey* spk = req.mutable_signed_pre_key();
    spk->set_id(7);
    spk->set_public_key(::confidant::testing::RandomPublicKey());
    spk->set_signature(a.identity->Sign(spk->public_key()));
    for (int i = 0; i < one_time; ++i) {
      v1::OneTimePreKey* k = req.add_one_time_pre_keys();
      k->set_id(first_id + i);
      k->set_public_key(::confidant::testing::RandomPublicKey());
    }
    return UploadKeys(a, req);
  }

  grpc::Status Bundle(const Account& caller, const Account& target,
                      v1::GetPreKeyBundleResponse* resp) {
    grpc::ClientContext ctx;
    Auth(&ctx, caller);
    v1::GetPreKeyBundleRequest req;
    req.set_account_id(target.id);
    req.set_device_id(1);
    return keys->GetPreKeyBundle(&ctx, req, resp);
  }

  grpc::Status Send(const Account& from, const Account& to,
                    const std::string& content, uint64_t* seq = nullptr) {
    grpc::ClientContext ctx;
    Auth(&ctx, from);
    v1::SendRequest req;
    req.set_recipient_account_id(to.id);
    req.set_recipient_device_id(1);
    req.set_content(content);
    v1::SendResponse resp;
    grpc::Status st = mailbox->Send(&ctx, req, &resp);
    if (seq != nullptr) *seq = resp.seq();
    return st;
  }

  grpc::Status Ack(const Account& a, const std::vector<uint64_t>& seqs,
                   uint32_t* deleted = nullptr) {
    grpc::ClientContext ctx;
    Auth(&ctx, a);
    v1::AckRequest req;
    req.set_device_id(1);
    for (uint64_t s : seqs) req.add_seqs(s);
    v1::AckResponse resp;
    grpc::Status st = mailbox->Ack(&ctx, req, &resp);
    if (deleted != nullptr) *deleted = resp.deleted();
    return st;
  }

  // The relay's published chain, as the crypto layer takes it.
  std::vector<crypto::RelayPublicKey> RelayKeys() {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(20));
    v1::GetRelayKeysResponse resp;
    grpc::Status st = certificates->GetRelayKeys(&ctx, {}, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<crypto::RelayPublicKey> chain;
    for (const v1::RelayKey& k : resp.keys()) {
      chain.push_back(
          {k.id(), k.public_key(), k.created_hour(), k.endorsement()});
    }
    return chain;
  }

  grpc::Status Certificate(const Account* a, std::string* out) {
    grpc::ClientContext ctx;
    if (a != nullptr) {
      Auth(&ctx, *a);
    }
    v1::GetSenderCertificateResponse resp;
    grpc::Status st = certificates->GetSenderCertificate(&ctx, {}, &resp);
    *out = resp.certificate();
    return st;
  }

  // Reads the queued envelopes up to the queue_empty marker.
  grpc::Status Drain(const Account& a, std::vector<v1::Envelope>* out) {
    grpc::ClientContext ctx;
    Auth(&ctx, a);
    v1::ReceiveRequest req;
    req.set_device_id(1);
    auto reader = mailbox->Receive(&ctx, req);
    v1::ReceiveResponse resp;
    while (reader->Read(&resp)) {
      if (resp.has_queue_empty()) {
        ctx.TryCancel();
        break;
      }
      out->push_back(resp.envelope());
    }
    grpc::Status st = reader->Finish();
    if (st.error_code() == grpc::StatusCode::CANCELLED) return grpc::Status::OK;
    return st;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;

 public:
  std::unique_ptr<v1::Accounts::Stub> accounts;
  std::unique_ptr<v1::Keys::Stub> keys;
  std::unique_ptr<v1::Directory::Stub> directory;
  std::unique_ptr<v1::Certificates::Stub> certificates;
  std::unique_ptr<v1::Mailbox::Stub> mailbox;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

class RelayIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { StartRelay({}); }

  void StartRelay(std::vector<std::string> extra_args) {
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(CONFIDANT_RELAY_BIN, data_dir_,
                                            std::move(extra_args));
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    client_ = std::make_unique<Client>(relay_->address());
  }

  void Restart(bool kill) {
    if (kill) {
      relay_->Kill();
    } else {
      ASSERT_EQ(relay_->Stop(), 0) << relay_->Log();
    }
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    client_ = std::make_unique<Client>(relay_->address());
  }

  CommandResult Admin(std::vector<std::string> args) {
    std::vector<std::string> argv = {CONFIDANT_ADMIN_BIN, "--data-dir",
                                     data_dir_, "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  template <typename Message>
  Message AdminJson(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // An organisation with a trust person (keys uploaded) and an employee.
  void SetUpOrganisation(const std::string& name, Account* trust_person,
                         Account* employee, int one_time_keys = 5) {
    auto org =
        AdminJson<v1::CreateOrganisationResponse>({"org", "create", name});
    auto invite = AdminJson<v1::CreateInviteResponse>(
        {"invite", "create", "--org", org.organisation().id()});
    v1::RegisterRequest tp;
    tp.set_invite_code(invite.invite_code());
    tp.mutable_profile()->set_display_name("Anna de Vries");
    tp.mutable_profile()->set_affiliation(
        v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
    tp.mutable_profile()->add_languages("nl");
    tp.mutable_profile()->add_languages("en");
    tp.mutable_profile()->set_intro("Vertrouwenspersoon sinds 2015.");
    ASSERT_TRUE(client_->Register(tp, trust_person).ok());
    ASSERT_TRUE(client_->UploadInitialKeys(*trust_person, one_time_keys).ok());
    v1::RegisterRequest emp;
    emp.set_access_code(org.access_code());
    ASSERT_TRUE(client_->Register(emp, employee).ok());
    ASSERT_TRUE(client_->UploadInitialKeys(*employee, 3).ok());
    EXPECT_EQ(employee->organisation_name, name);
  }

  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  std::unique_ptr<Client> client_;
};

TEST_F(RelayIntegrationTest, ServesHealthAndAdministration) {
  EXPECT_EQ(client_->HealthStatus(), grpc::StatusCode::OK);
  auto created = AdminJson<v1::CreateOrganisationResponse>(
      {"org", "create", "Gemeente Voorbeeld"});
  EXPECT_EQ(created.organisation().name(), "Gemeente Voorbeeld");
  EXPECT_FALSE(created.access_code().empty());
  auto list = AdminJson<v1::ListOrganisationsResponse>({"org", "list"});
  ASSERT_EQ(list.organisations_size(), 1);
  EXPECT_EQ(list.organisations(0).id(), created.organisation().id());
  auto stats = AdminJson<v1::GetStatsResponse>({"stats"});
  EXPECT_EQ(stats.organisations(), 1u);
  EXPECT_GT(stats.bytes_on_disk(), 0u);
  // The admin API is not reachable over TCP.
  grpc::GenericStub generic(client_->channel());
  grpc::ClientContext ctx;
  grpc::ByteBuffer reply;
  grpc::Status st;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Slice no_bytes("");
  grpc::ByteBuffer empty(&no_bytes, 1);
  generic.UnaryCall(&ctx, "/confidant.v1.Admin/ListOrganisations",
                    grpc::StubOptions(), &empty, &reply, [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      st = s;
                      done = true;
                      cv.notify_all();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(RelayIntegrationTest, ConversationSurvivesRestarts) {
  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Stichting Zorg", &tp, &emp));

  // Directory: the trust person with profile and identity key.
  {
    grpc::ClientContext ctx;
    Client::Auth(&ctx, emp);
    v1::ListTrustPersonsResponse resp;
    ASSERT_TRUE(client_->directory->ListTrustPersons(&ctx, {}, &resp).ok());
    EXPECT_EQ(resp.organisation().name(), "Stichting Zorg");
    ASSERT_EQ(resp.trust_persons_size(), 1);
    EXPECT_EQ(resp.trust_persons(0).account_id(), tp.id);
    EXPECT_EQ(resp.trust_persons(0).identity_key(), tp.identity->public_key());
    EXPECT_EQ(resp.trust_persons(0).profile().display_name(), "Anna de Vries");
  }

  // Bundles: each one-time pre-key handed out exactly once, then none.
  std::set<uint32_t> handed_out;
  for (int i = 0; i < 5; ++i) {
    v1::GetPreKeyBundleResponse b;
    ASSERT_TRUE(client_->Bundle(emp, tp, &b).ok());
    EXPECT_EQ(b.identity_key(), tp.identity->public_key());
    EXPECT_EQ(b.registration_id(), 4242u);
    ASSERT_TRUE(b.has_one_time_pre_key());
    EXPECT_TRUE(handed_out.insert(b.one_time_pre_key().id()).second);
  }
  {
    v1::GetPreKeyBundleResponse b;
    ASSERT_TRUE(client_->Bundle(emp, tp, &b).ok());
    EXPECT_FALSE(b.has_one_time_pre_key());
    EXPECT_TRUE(b.has_signed_pre_key());
    grpc::ClientContext ctx;
    Client::Auth(&ctx, tp);
    v1::GetPreKeyCountResponse count;
    ASSERT_TRUE(client_->keys->GetPreKeyCount(&ctx, {}, &count).ok());
    EXPECT_EQ(count.one_time_pre_key_count(), 0u);
  }

  // Live delivery: the trust person's stream is open before the send.
  {
    grpc::ClientContext ctx;
    Client::Auth(&ctx, tp);
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    auto reader = client_->mailbox->Receive(&ctx, v1::ReceiveRequest());
    v1::ReceiveResponse resp;
    ASSERT_TRUE(reader->Read(&resp));
    ASSERT_TRUE(resp.has_queue_empty());
    uint64_t seq = 0;
    ASSERT_TRUE(client_->Send(emp, tp, "sealed-envelope-1", &seq).ok());
    ASSERT_TRUE(reader->Read(&resp));
    ASSERT_TRUE(resp.has_envelope());
    EXPECT_EQ(resp.envelope().content(), "sealed-envelope-1");
    EXPECT_EQ(resp.envelope().seq(), seq);
    EXPECT_GT(resp.envelope().stored_hour(), 400000u);  // hours since 1970
    uint32_t deleted = 0;
    ASSERT_TRUE(client_->Ack(tp, {seq}, &deleted).ok());
    EXPECT_EQ(deleted, 1u);
    ASSERT_TRUE(client_->Ack(tp, {seq}, &deleted).ok());  // repeat is harmless
    EXPECT_EQ(deleted, 0u);
    ctx.TryCancel();
    reader->Finish();
  }

  // Queued and unacknowledged envelopes survive a clean restart and a kill.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(client_->Send(tp, emp, "reply-" + std::to_string(i)).ok());
  }
  ASSERT_NO_FATAL_FAILURE(Restart(/*kill=*/false));
  ASSERT_TRUE(client_->Send(tp, emp, "reply-10").ok());
  ASSERT_NO_FATAL_FAILURE(Restart(/*kill=*/true));
  std::vector<v1::Envelope> got;
  ASSERT_TRUE(client_->Drain(emp, &got).ok());
  ASSERT_EQ(got.size(), 11u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].content(), "reply-" + std::to_string(i));
    if (i > 0) {
      EXPECT_GT(got[i].seq(), got[i - 1].seq());
    }
  }
  std::vector<uint64_t> seqs;
  for (const auto& e : got) seqs.push_back(e.seq());
  ASSERT_TRUE(client_->Ack(emp, seqs).ok());
  got.clear();
  ASSERT_TRUE(client_->Drain(emp, &got).ok());
  EXPECT_TRUE(got.empty());
  // Sequence numbers are not reused after everything was acknowledged.
  uint64_t next = 0;
  ASSERT_TRUE(client_->Send(tp, emp, "after", &next).ok());
  EXPECT_GT(next, seqs.back());

  // The relay's log names no account and no content.
  const std::string log = relay_->Log();
  EXPECT_EQ(log.find(base::HexEncode(emp.id)), std::string::npos);
  EXPECT_EQ(log.find(base::HexEncode(tp.id)), std::string::npos);
  EXPECT_EQ(log.find("reply-"), std::string::npos);
  EXPECT_EQ(log.find("ipv4:"), std::string::npos);
  EXPECT_EQ(log.find("Anna"), std::string::npos);
}

TEST_F(RelayIntegrationTest, RejectsBadInputAndKeepsServing) {
  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Bad Input BV", &tp, &emp));
  auto expect = [&](const grpc::Status& st, grpc::StatusCode code) {
    EXPECT_EQ(st.error_code(), code) << st.error_message();
    EXPECT_FALSE(st.error_message().empty());
    EXPECT_EQ(client_->HealthStatus(), grpc::StatusCode::OK);
  };

  // Registration.
  Account nobody;
  v1::RegisterRequest reg;
  reg.set_access_code("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
  expect(client_->Register(reg, &nobody), grpc::StatusCode::PERMISSION_DENIED);
  reg.set_access_code("not a code!");
  expect(client_->Register(reg, &nobody), grpc::StatusCode::INVALID_ARGUMENT);
  expect(client_->Register(v1::RegisterRequest(), &nobody),
         grpc::StatusCode::INVALID_ARGUMENT);
  auto invite = AdminJson<v1::CreateInviteResponse>(
      {"invite", "create", "--org", "Bad Input BV"});
  v1::RegisterRequest tp_reg;
  tp_reg.set_invite_code(invite.invite_code());
  expect(client_->Register(tp_reg, &nobody),
         grpc::StatusCode::INVALID_ARGUMENT);  // no profile
  tp_reg.mutable_profile()->set_display_name("Bram");
  tp_reg.mutable_profile()->set_affiliation(
      v1::TRUST_PERSON_AFFILIATION_INTERNAL);
  tp_reg.mutable_profile()->add_languages("NL!");
  expect(client_->Register(tp_reg, &nobody),
         grpc::StatusCode::INVALID_ARGUMENT);
  tp_reg.mutable_profile()->clear_languages();
  // Format characters (Unicode Cf), such as a zero-width space or a
  // right-to-left mark, could make the name look like another one.
  for (const char* name : {"Br\xe2\x80\x8b"
                           "am",
                           "Bram\xe2\x80\x8f",
                           "\xef\xbb\xbf"
                           "Bram"}) {
    tp_reg.mutable_profile()->set_display_name(name);
    grpc::Status st = client_->Register(tp_reg, &nobody);
    expect(st, grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("format characters"), std::string::npos)
        << st.error_message();
  }
  tp_reg.mutable_profile()->set_display_name("Bram");
  tp_reg.mutable_profile()->set_intro("Hallo\xe2\x80\xae");
  expect(client_->Register(tp_reg, &nobody),
         grpc::StatusCode::INVALID_ARGUMENT);
  tp_reg.mutable_profile()->clear_intro();
  Account second_tp;
  ASSERT_TRUE(client_->Register(tp_reg, &second_tp).ok());
  expect(client_->Register(tp_reg, &nobody),
         grpc::StatusCode::PERMISSION_DENIED);  // reused

  // Credentials.
  Account wrong;
  wrong.id = emp.id;
  wrong.secret = std::string(32, 'x');
  expect(client_->Send(wrong, tp, "x"), grpc::StatusCode::UNAUTHENTICATED);
  {
    grpc::ClientContext ctx;
    v1::GetPreKeyCountResponse resp;
    expect(client_->keys->GetPreKeyCount(&ctx, {}, &resp),
           grpc::StatusCode::UNAUTHENTICATED);
  }
  Account short_id;
  short_id.id = "short";
  short_id.secret = emp.secret;
  expect(client_->Send(short_id, tp, "x"), grpc::StatusCode::UNAUTHENTICATED);

  // Keys.
  {
    v1::UploadKeysRequest req;
    v1::SignedPreKey* spk = req.mutable_signed_pre_key();
    spk->set_id(8);
    spk->set_public_key(::confidant::testing::RandomPublicKey());
    spk->set_signature(
        XeddsaTestKey().Sign(spk->public_key()));  // wrong signer
    expect(client_->UploadKeys(emp, req), grpc::StatusCode::INVALID_ARGUMENT);
    req.mutable_signed_pre_key()->set_signature(
        emp.identity->Sign(spk->public_key()));
    EXPECT_TRUE(client_->UploadKeys(emp, req).ok());  // rotation works
    req.set_identity_key("too short");
    expect(client_->UploadKeys(emp, req), grpc::StatusCode::INVALID_ARGUMENT);
    req.set_identity_key(XeddsaTestKey().public_key());
    req.set_registration_id(4242);  // required with identity_key
    expect(client_->UploadKeys(emp, req),
           grpc::StatusCode::FAILED_PRECONDITION);  // identity differs
    v1::UploadKeysRequest many;
    for (int i = 0; i < 101; ++i) {
      auto* k = many.add_one_time_pre_keys();
      k->set_id(100 + i);
      k->set_public_key(::confidant::testing::RandomPublicKey());
    }
    expect(client_->UploadKeys(emp, many),
           grpc::StatusCode::RESOURCE_EXHAUSTED);
    many.mutable_one_time_pre_keys()->DeleteSubrange(0, 2);
    many.mutable_one_time_pre_keys(1)->set_id(many.one_time_pre_keys(0).id());
    expect(client_->UploadKeys(emp, many),
           grpc::StatusCode::INVALID_ARGUMENT);  // dup id
    Account fresh;
    v1::RegisterRequest emp_reg;
    auto org = AdminJson<v1::ListOrganisationsResponse>({"org", "list"});
    auto rotated = AdminJson<v1::RotateAccessCodeResponse>(
        {"org", "rotate-code", org.organisations(0).id()});
    emp_reg.set_access_code(rotated.access_code());
    ASSERT_TRUE(client_->Register(emp_reg, &fresh).ok());
    v1::UploadKeysRequest only_one_time;
    *only_one_time.add_one_time_pre_keys() = many.one_time_pre_keys(0);
    expect(client_->UploadKeys(fresh, only_one_time),
           grpc::StatusCode::FAILED_PRECONDITION);  // first upload incomplete
    v1::GetPreKeyBundleResponse b;
    expect(client_->Bundle(fresh, second_tp, &b),
           grpc::StatusCode::FAILED_PRECONDITION);  // no keys uploaded yet
    expect(client_->Bundle(fresh, emp, &b),
           grpc::StatusCode::PERMISSION_DENIED);
  }

  // Mailboxes.
  expect(client_->Send(emp, tp, ""), grpc::StatusCode::INVALID_ARGUMENT);
  expect(client_->Send(emp, tp, std::string(256 * 1024 + 1, 'a')),
         grpc::StatusCode::RESOURCE_EXHAUSTED);
  expect(client_->Send(emp, tp, std::string(2 * 1024 * 1024, 'a')),
         grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(client_->Send(emp, tp, std::string(256 * 1024, 'a')).ok());
  Account other_emp;
  {
    auto org = AdminJson<v1::ListOrganisationsResponse>({"org", "list"});
    auto rotated = AdminJson<v1::RotateAccessCodeResponse>(
        {"org", "rotate-code", org.organisations(0).id()});
    v1::RegisterRequest r;
    r.set_access_code(rotated.access_code());
    ASSERT_TRUE(client_->Register(r, &other_emp).ok());
  }
  expect(client_->Send(emp, other_emp, "hi"),
         grpc::StatusCode::PERMISSION_DENIED);
  Account ghost;
  ghost.id = std::string(16, '\x01');
  expect(client_->Send(emp, ghost, "hi"), grpc::StatusCode::PERMISSION_DENIED);
  {
    grpc::ClientContext ctx;
    Client::Auth(&ctx, emp);
    v1::ReceiveRequest req;
    req.set_account_id(tp.id);
    auto reader = client_->mailbox->Receive(&ctx, req);
    v1::ReceiveResponse resp;
    EXPECT_FALSE(reader->Read(&resp));
    expect(reader->Finish(), grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext ctx;
    Client::Auth(&ctx, emp);
    v1::AckRequest req;
    req.set_account_id(tp.id);
    req.add_seqs(1);
    v1::AckResponse resp;
    expect(client_->mailbox->Ack(&ctx, req, &resp),
           grpc::StatusCode::PERMISSION_DENIED);
  }
  std::vector<uint64_t> too_many(1001, 1);
  expect(client_->Ack(emp, too_many), grpc::StatusCode::INVALID_ARGUMENT);
  expect(client_->Ack(emp, {}), grpc::StatusCode::INVALID_ARGUMENT);

  // Bytes that are not a protobuf message at all.
  {
    grpc::GenericStub generic(client_->channel());
    grpc::ClientContext ctx;
    Client::Auth(&ctx, emp);
    const std::string garbage = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
    grpc::Slice slice(garbage);
    grpc::ByteBuffer request(&slice, 1), reply;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status st;
    generic.UnaryCall(&ctx, "/confidant.v1.Mailbox/Send", grpc::StubOptions(),
                      &request, &reply, [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mu);
                        st = s;
                        done = true;
                        cv.notify_all();
                      });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    lock.unlock();
    expect(st, grpc::StatusCode::INVALID_ARGUMENT);
  }

  // Every one of those left the envelope queue intact.
  std::vector<v1::Envelope> got;
  ASSERT_TRUE(client_->Drain(tp, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].content().size(), 256u * 1024);
}

TEST_F(RelayIntegrationTest, EnforcesConfiguredLimits) {
  relay_->Stop();
  const std::string config = dir_.path() + "/limits.toml";
  std::ofstream(config) << "[limits]\n"
                           "mailbox_max_envelopes = 3\n"
                           "streams_per_account = 2\n"
                           "send_per_second = 0.001\nsend_burst = 5.0\n"
                           "bundle_per_second = 0.001\nbundle_burst = 2.0\n";
  ASSERT_NO_FATAL_FAILURE(StartRelay({"--config", config}));
  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Limits NV", &tp, &emp));

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client_->Send(emp, tp, "m").ok());
  grpc::Status full = client_->Send(emp, tp, "m");
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(full.error_message().find("full"), std::string::npos);
  std::vector<v1::Envelope> got;
  ASSERT_TRUE(client_->Drain(tp, &got).ok());
  ASSERT_TRUE(client_->Ack(tp, {got[0].seq()}).ok());
  EXPECT_TRUE(client_->Send(emp, tp, "m").ok());    // room again; 5th send
  grpc::Status fast = client_->Send(emp, tp, "m");  // 6th: over the burst
  EXPECT_EQ(fast.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(fast.error_message().find("too fast"), std::string::npos);

  v1::GetPreKeyBundleResponse b;
  EXPECT_TRUE(client_->Bundle(emp, tp, &b).ok());
  EXPECT_TRUE(client_->Bundle(emp, tp, &b).ok());
  EXPECT_EQ(client_->Bundle(emp, tp, &b).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Two streams per account; the third is refused, and allowed again later.
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::ReceiveResponse>>> readers;
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    Client::Auth(contexts.back().get(), emp);
    readers.push_back(client_->mailbox->Receive(contexts.back().get(), {}));
    v1::ReceiveResponse resp;
    if (i < 2) {
      ASSERT_TRUE(readers.back()->Read(&resp));
      EXPECT_TRUE(resp.has_queue_empty());
    } else {
      EXPECT_FALSE(readers.back()->Read(&resp));
      EXPECT_EQ(readers.back()->Finish().error_code(),
                grpc::StatusCode::RESOURCE_EXHAUSTED);
    }
  }
  contexts[0]->TryCancel();
  readers[0]->Finish();
  std::vector<v1::Envelope> none;
  bool reopened = false;
  for (int attempt = 0; attempt < 50 && !reopened; ++attempt) {
    reopened = client_->Drain(emp, &none).ok();
    if (!reopened) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(reopened);
  contexts[1]->TryCancel();
  readers[1]->Finish();
}

TEST_F(RelayIntegrationTest, StopsStreamsOnShutdownAndBacksUp) {
  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Backup BV", &tp, &emp));
  ASSERT_TRUE(client_->Send(emp, tp, "kept in the backup").ok());
  const std::vector<crypto::RelayPublicKey> relay_keys = client_->RelayKeys();
  const std::string backup = dir_.path() + "/backup";
  CommandResult r = Admin({"backup", backup});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat key_file;
  ASSERT_EQ(::stat((backup + "/relay-keys").c_str(), &key_file), 0);
  EXPECT_EQ(key_file.st_mode & 07777, 0600);
  EXPECT_EQ(Admin({"backup", backup}).exit_code, 1);  // target exists

  // An open stream ends with UNAVAILABLE when the relay stops; exit code 0.
  // Nothing is left in flight then, so the relay exits at once: idle client
  // connections (client_ holds one) do not keep it for the 5 s grace.
  grpc::ClientContext ctx;
  Client::Auth(&ctx, emp);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto reader = client_->mailbox->Receive(&ctx, {});
  v1::ReceiveResponse resp;
  ASSERT_TRUE(reader->Read(&resp));
  const auto stopping = std::chrono::steady_clock::now();
  EXPECT_EQ(relay_->Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - stopping,
            std::chrono::seconds(4));
  EXPECT_EQ(relay_->Log().find("calls still running"), std::string::npos)
      << relay_->Log();
  while (reader->Read(&resp)) {
  }
  const grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ended.error_message(), "relay shutting down");

  // A relay started on the restored backup knows the accounts and envelopes.
  const std::string restored = dir_.path() + "/restored";
  fs::create_directories(restored);
  fs::rename(backup, restored + "/db");
  RelayProcess second(CONFIDANT_RELAY_BIN, restored);
  ASSERT_TRUE(second.Start()) << second.Log();
  Client c(second.address());
  std::vector<v1::Envelope> got;
  ASSERT_TRUE(c.Drain(tp, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].content(), "kept in the backup");
  // With the relay's keys: the key file came along in the backup and was
  // taken out of db/ into the data directory.
  EXPECT_EQ(c.RelayKeys(), relay_keys);
  EXPECT_TRUE(fs::exists(restored + "/relay-keys"));
  EXPECT_FALSE(fs::exists(restored + "/db/relay-keys"));
  EXPECT_EQ(second.Stop(), 0);
}

uint32_t CurrentHour() {
  return static_cast<uint32_t>(std::time(nullptr) / 3600);
}

// Parses `wire` and checks it against `chain` as a receiver would.
crypto::SenderCertificate VerifiedCertificate(
    const std::string& wire, const std::vector<crypto::RelayPublicKey>& chain) {
  absl::StatusOr<crypto::SenderCertificate> certificate =
      crypto::ParseSenderCertificate(wire);
  EXPECT_TRUE(certificate.ok()) << certificate.status();
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(chain);
  EXPECT_TRUE(ring.ok()) << ring.status();
  if (!certificate.ok() || !ring.ok()) return {};
  absl::Status verified = ring->Verify(*certificate, CurrentHour());
  EXPECT_TRUE(verified.ok()) << verified;
  return *certificate;
}

TEST_F(RelayIntegrationTest, IssuesSenderCertificatesAndRotatesItsKey) {
  // The chain, without credentials; the admin tool and the log agree on the
  // fingerprint to publish.
  const std::vector<crypto::RelayPublicKey> first = client_->RelayKeys();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, 1u);
  const uint32_t hour = CurrentHour();
  EXPECT_TRUE(first[0].created_hour == hour ||
              first[0].created_hour + 1 == hour);
  const std::string root = crypto::RelayKeyFingerprint(first[0].public_key);
  auto shown = AdminJson<v1::GetAdminRelayKeysResponse>({"relay-key", "show"});
  EXPECT_EQ(shown.root_fingerprint(), root);
  ASSERT_EQ(shown.keys_size(), 1);
  EXPECT_EQ(shown.keys(0).fingerprint(), root);
  EXPECT_EQ(shown.keys(0).created_hour(), first[0].created_hour);
  EXPECT_NE(relay_->Log().find("relay key root fingerprint: " + root),
            std::string::npos)
      << relay_->Log();
  struct stat st;
  ASSERT_EQ(::stat((data_dir_ + "/relay-keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600);

  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Certificaat BV", &tp, &emp));
  std::string wire;
  EXPECT_EQ(client_->Certificate(nullptr, &wire).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  Account late;
  {
    auto org = AdminJson<v1::ListOrganisationsResponse>({"org", "list"});
    auto rotated = AdminJson<v1::RotateAccessCodeResponse>(
        {"org", "rotate-code", org.organisations(0).id()});
    v1::RegisterRequest req;
    req.set_access_code(rotated.access_code());
    ASSERT_TRUE(client_->Register(req, &late).ok());
  }
  grpc::Status status = client_->Certificate(&late, &wire);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();

  status = client_->Certificate(&emp, &wire);
  ASSERT_TRUE(status.ok()) << status.error_message();
  crypto::SenderCertificate certificate = VerifiedCertificate(wire, first);
  EXPECT_EQ(certificate.account_id, emp.id);
  EXPECT_EQ(certificate.identity_key, emp.identity->public_key());
  EXPECT_EQ(certificate.signer_key_id, 1u);
  const uint32_t issued = certificate.expiry_hour - 168;
  EXPECT_TRUE(issued == hour || issued == CurrentHour()) << issued;

  // Rotation: new certificates come from key 2, endorsed by key 1; the
  // root to publish stays.
  auto rotated = AdminJson<v1::RotateRelayKeyResponse>({"relay-key", "rotate"});
  EXPECT_EQ(rotated.key().id(), 2u);
  EXPECT_EQ(rotated.root_fingerprint(), root);
  const std::vector<crypto::RelayPublicKey> second = client_->RelayKeys();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0], first[0]);
  EXPECT_EQ(crypto::RelayKeyFingerprint(second[1].public_key),
            rotated.key().fingerprint());
  ASSERT_TRUE(client_->Certificate(&tp, &wire).ok());
  certificate = VerifiedCertificate(wire, second);
  EXPECT_EQ(certificate.signer_key_id, 2u);
  EXPECT_EQ(certificate.account_id, tp.id);
  EXPECT_EQ(certificate.identity_key, tp.identity->public_key());

  // The same keys after a clean restart and after a kill.
  ASSERT_NO_FATAL_FAILURE(Restart(/*kill=*/false));
  EXPECT_EQ(client_->RelayKeys(), second);
  ASSERT_NO_FATAL_FAILURE(Restart(/*kill=*/true));
  EXPECT_EQ(client_->RelayKeys(), second);
  ASSERT_TRUE(client_->Certificate(&emp, &wire).ok());
  EXPECT_EQ(VerifiedCertificate(wire, second).signer_key_id, 2u);

  // The text form names the fingerprint, every key and its hour.
  CommandResult text = RunCommand(
      {CONFIDANT_ADMIN_BIN, "--data-dir", data_dir_, "relay-key", "show"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(root), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(rotated.key().fingerprint() + "  "),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(" UTC  (current)"), std::string::npos) << text.out;

  // Issuing names nobody in the log.
  const std::string log = relay_->Log();
  EXPECT_EQ(log.find(base::HexEncode(emp.id)), std::string::npos);
  EXPECT_EQ(log.find(base::HexEncode(tp.id)), std::string::npos);
}

TEST_F(RelayIntegrationTest, RefusesToStartWithoutItsKeys) {
  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Sleutel BV", &tp, &emp));
  const std::vector<crypto::RelayPublicKey> chain = client_->RelayKeys();
  ASSERT_EQ(relay_->Stop(), 0);
  const std::string path = data_dir_ + "/relay-keys";
  const std::string good = ::confidant::testing::ReadFileOrDie(path);

  // A corrupt key file stops the relay with a clear message, and stays.
  std::string bad = good;
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x40);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
  EXPECT_FALSE(relay_->Start());
  EXPECT_EQ(relay_->exit_code(), 78);
  EXPECT_NE(relay_->Log().find(path + " is unusable: corrupt"),
            std::string::npos)
      << relay_->Log();
  EXPECT_EQ(::confidant::testing::ReadFileOrDie(path), bad);

  // A missing one beside a database with accounts: no new key 1.
  fs::remove(path);
  EXPECT_FALSE(relay_->Start());
  EXPECT_EQ(relay_->exit_code(), 78);
  EXPECT_NE(relay_->Log().find("--create-relay-key"), std::string::npos)
      << relay_->Log();
  EXPECT_FALSE(fs::exists(path));

  // The file put back: the same keys as before.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << good;
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  client_ = std::make_unique<Client>(relay_->address());
  EXPECT_EQ(client_->RelayKeys(), chain);
}

TEST_F(RelayIntegrationTest, ServesTls) {
  relay_->Stop();
  const std::string key = dir_.path() + "/key.pem",
                    cert = dir_.path() + "/cert.pem";
  CommandResult gen =
      RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec",
                  "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                  "-keyout", key, "-out", cert, "-days", "1", "-subj",
                  "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_NO_FATAL_FAILURE(StartRelay({"--tls-cert", cert, "--tls-key", key}));
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ::confidant::testing::ReadFileOrDie(cert);
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  Client tls(relay_->address(), grpc::SslCredentials(ssl), args);
  EXPECT_EQ(tls.HealthStatus(), grpc::StatusCode::OK);
  EXPECT_NE(client_->HealthStatus(),
            grpc::StatusCode::OK);  // plaintext refused
}

TEST(RelayStartupTest, RefusesBadSetupsWithClearMessages) {
  TempDir dir;
  // A corrupt database.
  const std::string data = dir.path() + "/corrupt";
  fs::create_directories(data + "/db");
  std::ofstream(data + "/db/CURRENT") << "MANIFEST-999999\n";
  RelayProcess corrupt(CONFIDANT_RELAY_BIN, data);
  EXPECT_FALSE(corrupt.Start());
  EXPECT_EQ(corrupt.exit_code(), 78);
  EXPECT_NE(corrupt.Log().find(data), std::string::npos) << corrupt.Log();

  // A data directory below a regular file.
  std::ofstream(dir.path() + "/file") << "x";
  CommandResult blocked =
      RunCommand({CONFIDANT_RELAY_BIN, "--data-dir", dir.path() + "/file/relay",
                  "--listen", "127.0.0.1:0"});
  EXPECT_EQ(blocked.exit_code, 78);
  EXPECT_NE(blocked.err.find("cannot create data directory"), std::string::npos)
      << blocked.err;

  // Plaintext off loopback, a bad flag, --help.
  CommandResult r = RunCommand({CONFIDANT_RELAY_BIN, "--data-dir",
                                dir.path() + "/x", "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("without TLS"), std::string::npos) << r.err;
  r = RunCommand({CONFIDANT_RELAY_BIN, "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunCommand({CONFIDANT_RELAY_BIN, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--data-dir"), std::string::npos);
  r = RunCommand({CONFIDANT_RELAY_BIN, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("--data-dir"), std::string::npos);
}

}  // namespace
}  // namespace confidant
