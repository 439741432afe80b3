// Drives the real confidant-relay binary over loopback (port 0, temporary data
// directory) with real gRPC clients and the real confidant-admin tool: health
// and administration, a conversation across restarts, and streams stopped on
// shutdown with a backup that restores. What the relay refuses is in
// relay_refusals_test.cc, its keys, certificates and TLS in
// relay_certificates_test.cc.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/hex.h"
#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "crypto/sender_certificate.h"
#include "gtest/gtest.h"
#include "tests/integration/relay_integration_fixture.h"

namespace confidant::relay_testing {
namespace {

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

}  // namespace
}  // namespace confidant::relay_testing
