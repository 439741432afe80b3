// FakeRelay's test controls: an unreachable relay, call counts, injected
// errors and mailbox inspection. The relay's semantics themselves are in
// transport_contract_test.cc, shared with the real relay.
#include "client/testing/fake_relay.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/transport.h"
#include "crypto/keys.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confidant::client {
namespace {

using ::testing::HasSubstr;

struct Client {
  std::unique_ptr<RelayTransport> transport;
  std::string id;
};

class FakeRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<FakeRelay>> relay = FakeRelay::Create();
    ASSERT_TRUE(relay.ok()) << relay.status();
    relay_ = *std::move(relay);
    absl::StatusOr<FakeRelay::CreatedOrganisation> org =
        relay_->CreateOrganisation("Gemeente Voorbeeld");
    ASSERT_TRUE(org.ok()) << org.status();
    org_ = *std::move(org);
  }

  Client Register(absl::StatusOr<Registration> registration,
                  std::unique_ptr<RelayTransport> transport) {
    EXPECT_TRUE(registration.ok()) << registration.status();
    if (!registration.ok()) return {};
    transport->SetCredentials(registration->account_id,
                              registration->secret.Clone());
    return Client{std::move(transport), registration->account_id};
  }

  Client NewEmployee() {
    std::unique_ptr<RelayTransport> t = relay_->NewTransport();
    absl::StatusOr<Registration> r = t->RegisterEmployee(org_.access_code);
    return Register(std::move(r), std::move(t));
  }

  Client NewTrustPerson() {
    absl::StatusOr<std::string> invite =
        relay_->CreateInvite({org_.organisation.id});
    EXPECT_TRUE(invite.ok()) << invite.status();
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
    profile.affiliation = Affiliation::kInternal;
    std::unique_ptr<RelayTransport> t = relay_->NewTransport();
    absl::StatusOr<Registration> r =
        t->RegisterTrustPerson(invite.value_or(""), profile);
    return Register(std::move(r), std::move(t));
  }

  static void UploadKeys(Client& client) {
    absl::StatusOr<crypto::IdentityKeyPair> identity =
        crypto::IdentityKeyPair::Generate();
    ASSERT_TRUE(identity.ok());
    absl::StatusOr<crypto::SignedPreKeyPair> spk =
        crypto::GenerateSignedPreKey(*identity, 1, absl::Now());
    ASSERT_TRUE(spk.ok());
    KeyUpload upload;
    upload.identity_key = identity->public_key();
    upload.registration_id = 1;
    upload.signed_pre_key =
        SignedPreKeyUpload{1, spk->public_key, spk->signature};
    ASSERT_TRUE(client.transport->UploadKeys(upload).ok());
  }

  std::unique_ptr<FakeRelay> relay_;
  FakeRelay::CreatedOrganisation org_;
};

TEST_F(FakeRelayTest, UnreachableRelayFailsEveryCallUntilRestored) {
  Client employee = NewEmployee();
  Client tp = NewTrustPerson();
  relay_->SetReachable(false);
  EXPECT_FALSE(relay_->reachable());

  absl::StatusOr<uint32_t> count = employee.transport->GetPreKeyCount();
  EXPECT_EQ(count.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(count.status().message(),
              HasSubstr("relay not reachable at fake-relay.invalid:7443"));
  EXPECT_EQ(employee.transport->GetRelayKeys().status().code(),
            absl::StatusCode::kUnavailable);
  std::unique_ptr<RelayTransport> fresh = relay_->NewTransport();
  EXPECT_EQ(fresh->RegisterEmployee(org_.access_code).status().code(),
            absl::StatusCode::kUnavailable);
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp.transport->OpenReceive();
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->Read().status().code(), absl::StatusCode::kUnavailable);

  relay_->SetReachable(true);
  EXPECT_TRUE(employee.transport->GetPreKeyCount().ok());
  // A stream that broke stays broken, as a gRPC stream does.
  EXPECT_EQ((*stream)->Read().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(fresh->RegisterEmployee(org_.access_code).ok());
}

TEST_F(FakeRelayTest, GoingUnreachableBreaksABlockedRead) {
  Client tp = NewTrustPerson();
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp.transport->OpenReceive();
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Read()->queue_empty);
  EXPECT_EQ(relay_->OpenStreamCount(tp.id), 1);

  absl::StatusOr<ReceiveEvent> blocked;
  std::thread reader([&] { blocked = (*stream)->Read(); });
  absl::SleepFor(absl::Milliseconds(50));
  relay_->SetReachable(false);
  reader.join();
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(relay_->OpenStreamCount(tp.id), 0);
}

TEST_F(FakeRelayTest, CountsCalls) {
  Client employee = NewEmployee();
  EXPECT_EQ(relay_->CallCount(RelayMethod::kRegisterEmployee), 1);
  EXPECT_EQ(relay_->CallCount(RelayMethod::kGetPreKeyCount), 0);
  (void)employee.transport->GetPreKeyCount();
  (void)employee.transport->GetPreKeyCount();
  relay_->SetReachable(false);
  (void)employee.transport->GetPreKeyCount();  // failed calls count too
  EXPECT_EQ(relay_->CallCount(RelayMethod::kGetPreKeyCount), 3);
  EXPECT_EQ(relay_->CallCount(RelayMethod::kSend), 0);
}

TEST_F(FakeRelayTest, InjectedErrorFailsTheNextCallOnly) {
  Client employee = NewEmployee();
  Client tp = NewTrustPerson();
  ASSERT_NO_FATAL_FAILURE(UploadKeys(tp));
  relay_->FailNextCall(RelayMethod::kSend,
                       absl::UnavailableError("connection reset"));
  EXPECT_EQ(employee.transport->Send(tp.id, "x").status(),
            absl::UnavailableError("connection reset"));
  EXPECT_EQ(relay_->QueuedCount(tp.id), 0u);  // it never took effect
  absl::StatusOr<uint64_t> seq = employee.transport->Send(tp.id, "x");
  ASSERT_TRUE(seq.ok()) << seq.status();
  EXPECT_EQ(*seq, 1u);
  EXPECT_EQ(relay_->QueuedCount(tp.id), 1u);
}

TEST_F(FakeRelayTest, InjectedErrorAfterEffectLosesOnlyTheReply) {
  Client employee = NewEmployee();
  Client tp = NewTrustPerson();
  ASSERT_NO_FATAL_FAILURE(UploadKeys(tp));
  relay_->FailNextCall(RelayMethod::kSend,
                       absl::DeadlineExceededError("no answer in time"),
                       /*after_effect=*/true);
  EXPECT_EQ(employee.transport->Send(tp.id, "x").status().code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(relay_->QueuedCount(tp.id), 1u);  // stored all the same
  EXPECT_EQ(employee.transport->Send(tp.id, "x").value_or(0), 2u);
  EXPECT_EQ(relay_->QueuedCount(tp.id), 2u);
}

TEST_F(FakeRelayTest, InjectedErrorOnOpenReceiveSurfacesOnRead) {
  Client tp = NewTrustPerson();
  relay_->FailNextCall(RelayMethod::kOpenReceive,
                       absl::ResourceExhaustedError("too many streams"));
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp.transport->OpenReceive();
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->Read().status().code(),
            absl::StatusCode::kResourceExhausted);
  absl::StatusOr<std::vector<Envelope>> drained = DrainMailbox(*tp.transport);
  EXPECT_TRUE(drained.ok()) << drained.status();
}

TEST_F(FakeRelayTest, LimitsOpenStreamsPerAccount) {
  Client tp = NewTrustPerson();
  std::vector<std::unique_ptr<ReceiveStream>> streams;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<std::unique_ptr<ReceiveStream>> s =
        tp.transport->OpenReceive();
    ASSERT_TRUE(s.ok());
    streams.push_back(*std::move(s));
  }
  EXPECT_EQ(relay_->OpenStreamCount(tp.id), 4);
  absl::StatusOr<std::unique_ptr<ReceiveStream>> fifth =
      tp.transport->OpenReceive();
  ASSERT_TRUE(fifth.ok());
  EXPECT_EQ((*fifth)->Read().status().code(),
            absl::StatusCode::kResourceExhausted);
  streams[0]->Cancel();
  EXPECT_EQ(relay_->OpenStreamCount(tp.id), 3);
  streams.pop_back();  // destroyed
  EXPECT_EQ(relay_->OpenStreamCount(tp.id), 2);
}

TEST_F(FakeRelayTest, CertificatesVerifyWithThePinnedRootAndTheFakeClock) {
  const absl::Time fixed = absl::FromUnixSeconds(1'800'000'000);
  FakeRelayOptions options;
  options.clock = [fixed] { return fixed; };
  absl::StatusOr<std::unique_ptr<FakeRelay>> relay =
      FakeRelay::Create(std::move(options));
  ASSERT_TRUE(relay.ok());
  relay_ = *std::move(relay);
  absl::StatusOr<FakeRelay::CreatedOrganisation> org =
      relay_->CreateOrganisation("Tweede");
  ASSERT_TRUE(org.ok());
  org_ = *std::move(org);

  Client tp = NewTrustPerson();
  ASSERT_NO_FATAL_FAILURE(UploadKeys(tp));
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(relay_->RelayKeys());
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ(ring->RootFingerprint(), relay_->RootFingerprint());
  absl::StatusOr<std::string> wire = tp.transport->GetSenderCertificate();
  ASSERT_TRUE(wire.ok()) << wire.status();
  absl::StatusOr<crypto::SenderCertificate> certificate =
      crypto::ParseSenderCertificate(*wire);
  ASSERT_TRUE(certificate.ok());
  const uint32_t hour = 1'800'000'000 / 3600;
  EXPECT_EQ(certificate->expiry_hour,
            hour + crypto::kSenderCertificateLifetimeHours);
  EXPECT_TRUE(ring->Verify(*certificate, hour).ok());
  EXPECT_FALSE(
      ring->Verify(*certificate, hour + crypto::kSenderCertificateLifetimeHours)
          .ok());
}

TEST_F(FakeRelayTest, RefusesDuplicateOrganisationNamesAndUnknownInvites) {
  EXPECT_EQ(relay_->CreateOrganisation("gemeente VOORBEELD").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(relay_->CreateInvite({"0123456789abcdef"}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(relay_->CreateInvite({}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace confidant::client
