// What the real confidant-relay binary refuses, over loopback with real gRPC
// clients: bad input of every kind (after which it keeps serving, the queue
// intact), the limits set in its config file, and bad setups at start-up,
// each with a clear message.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/relay_integration_fixture.h"

namespace confidant::relay_testing {
namespace {

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
}  // namespace confidant::relay_testing
