#include "tests/integration/relay_integration_fixture.h"

#include <chrono>

#include "confidant/v1/admin.pb.h"

namespace confidant::relay_testing {

void Client::Auth(grpc::ClientContext* ctx, const Account& a) {
  ctx->AddMetadata("x-confidant-account-bin", a.id);
  ctx->AddMetadata("x-confidant-secret-bin", a.secret);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(20));
}

grpc::StatusCode Client::HealthStatus() {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status st = health->Check(&ctx, req, &resp);
  if (!st.ok()) return st.error_code();
  return resp.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? grpc::StatusCode::OK
             : grpc::StatusCode::UNAVAILABLE;
}

grpc::Status Client::Register(const v1::RegisterRequest& req, Account* out) {
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

grpc::Status Client::UploadKeys(const Account& a,
                                const v1::UploadKeysRequest& req,
                                v1::UploadKeysResponse* resp) {
  grpc::ClientContext ctx;
  Auth(&ctx, a);
  v1::UploadKeysResponse ignored;
  return keys->UploadKeys(&ctx, req, resp != nullptr ? resp : &ignored);
}

grpc::Status Client::UploadInitialKeys(const Account& a, int one_time,
                                       uint32_t first_id) {
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

grpc::Status Client::Bundle(const Account& caller, const Account& target,
                            v1::GetPreKeyBundleResponse* resp) {
  grpc::ClientContext ctx;
  Auth(&ctx, caller);
  v1::GetPreKeyBundleRequest req;
  req.set_account_id(target.id);
  req.set_device_id(1);
  return keys->GetPreKeyBundle(&ctx, req, resp);
}

grpc::Status Client::Send(const Account& from, const Account& to,
                          const std::string& content, uint64_t* seq) {
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

grpc::Status Client::Ack(const Account& a, const std::vector<uint64_t>& seqs,
                         uint32_t* deleted) {
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

std::vector<crypto::RelayPublicKey> Client::RelayKeys() {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
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

grpc::Status Client::Certificate(const Account* a, std::string* out) {
  grpc::ClientContext ctx;
  if (a != nullptr) {
    Auth(&ctx, *a);
  }
  v1::GetSenderCertificateResponse resp;
  grpc::Status st = certificates->GetSenderCertificate(&ctx, {}, &resp);
  *out = resp.certificate();
  return st;
}

grpc::Status Client::Drain(const Account& a, std::vector<v1::Envelope>* out) {
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

void RelayIntegrationTest::SetUpOrganisation(const std::string& name,
                                             Account* trust_person,
                                             Account* employee,
                                             int one_time_keys) {
  auto org = AdminJson<v1::CreateOrganisationResponse>({"org", "create", name});
  auto invite = AdminJson<v1::CreateInviteResponse>(
      {"invite", "create", "--org", org.organisation().id()});
  v1::RegisterRequest tp;
  tp.set_invite_code(invite.invite_code());
  tp.mutable_profile()->set_display_name("Anna de Vries");
  tp.mutable_profile()->set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
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

}  // namespace confidant::relay_testing
