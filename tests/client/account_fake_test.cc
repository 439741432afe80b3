// AccountManager over the FakeRelay: registration, the first key upload and
// pre-key upkeep, without a relay process (account_test.cc runs the same
// lifecycle against the real relay).
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/testing/fake_relay.h"
#include "client/transport.h"
#include "crypto/memory_stores.h"
#include "gtest/gtest.h"

namespace confidant::client {
namespace {

// One installation: crypto stores, account state, transport and account.
struct Party {
  std::unique_ptr<crypto::MemoryStore> store;
  MemoryAccountStateStore state_store;
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<AccountManager> account;

  std::string id() const { return account->state().account_id; }
};

class AccountFakeTest : public ::testing::Test {
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

  std::unique_ptr<Party> NewParty() {
    auto party = std::make_unique<Party>();
    absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
    EXPECT_TRUE(keys.ok()) << keys.status();
    party->store = std::make_unique<crypto::MemoryStore>(
        std::move(keys->identity), keys->registration_id);
    party->transport = relay_->NewTransport();
    auto account =
        AccountManager::Open(*party->transport, party->state_store,
                             *party->store, *party->store, *party->store);
    EXPECT_TRUE(account.ok()) << account.status();
    party->account = *std::move(account);
    return party;
  }

  std::unique_ptr<Party> NewTrustPerson() {
    absl::StatusOr<std::string> invite =
        relay_->CreateInvite({org_.organisation.id});
    EXPECT_TRUE(invite.ok()) << invite.status();
    std::unique_ptr<Party> party = NewParty();
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl"};
    absl::Status registered =
        party->account->RegisterTrustPerson(invite.value_or(""), profile, t0_);
    EXPECT_TRUE(registered.ok()) << registered;
    return party;
  }

  std::unique_ptr<Party> NewEmployee() {
    std::unique_ptr<Party> party = NewParty();
    absl::Status registered =
        party->account->RegisterEmployee(org_.access_code, t0_);
    EXPECT_TRUE(registered.ok()) << registered;
    return party;
  }

  // Reads `party`'s registered() and state() on another thread. Keep the
  // result until the relay is released: its destructor waits for the read.
  static std::future<void> Read(Party& party) {
    return std::async(std::launch::async, [&party] {
      party.account->registered();
      party.account->state();
    });
  }
  // Whether the read finished within a few seconds (it must not wait for a
  // call to the relay that is being held).
  static bool Answered(std::future<void>& read) {
    return read.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
  }

  std::unique_ptr<FakeRelay> relay_;
  FakeRelay::CreatedOrganisation org_;
  const absl::Time t0_ = absl::Now();
};

TEST_F(AccountFakeTest, RegistersAndUploadsTheFirstKeys) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> employee = NewEmployee();
  ASSERT_TRUE(tp->account->registered());
  const AccountState state = tp->account->state();
  EXPECT_EQ(state.kind, AccountKind::kTrustPerson);
  EXPECT_TRUE(state.keys_uploaded);
  ASSERT_EQ(state.organisations.size(), 1u);
  EXPECT_EQ(state.organisations[0], org_.organisation);
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 100u);

  // The employee finds the trust person, with the identity it holds.
  absl::StatusOr<TrustPersonList> listed =
      employee->transport->ListTrustPersons("");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->trust_persons.size(), 1u);
  EXPECT_EQ(listed->trust_persons[0].account_id, tp->id());
  absl::StatusOr<crypto::IdentityKeyPair> identity = tp->store->LocalIdentity();
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(listed->trust_persons[0].identity_key, identity->public_key());

  EXPECT_EQ(employee->account->RegisterEmployee(org_.access_code, t0_).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AccountFakeTest, RefillsOneTimePreKeysWithFreshIds) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> employee = NewEmployee();
  absl::StatusOr<MaintenanceReport> idle = tp->account->Maintain(t0_);
  ASSERT_TRUE(idle.ok()) << idle.status();
  EXPECT_EQ(idle->one_time_pre_keys_uploaded, 0u);
  EXPECT_EQ(idle->one_time_pre_key_count, 100u);

  std::set<uint32_t> handed_out;
  for (int i = 0; i < 81; ++i) {
    absl::StatusOr<PeerBundle> b =
        employee->transport->GetPreKeyBundle(tp->id());
    ASSERT_TRUE(b.ok()) << b.status();
    ASSERT_TRUE(b->bundle.one_time_pre_key.has_value());
    handed_out.insert(b->bundle.one_time_pre_key->id);
  }
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 19u);

  absl::StatusOr<MaintenanceReport> refill = tp->account->Maintain(t0_);
  ASSERT_TRUE(refill.ok()) << refill.status();
  EXPECT_EQ(refill->one_time_pre_keys_uploaded, 81u);
  EXPECT_EQ(refill->one_time_pre_key_count, 100u);
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<PeerBundle> b =
        employee->transport->GetPreKeyBundle(tp->id());
    ASSERT_TRUE(b.ok()) << b.status();
    ASSERT_TRUE(b->bundle.one_time_pre_key.has_value());
    EXPECT_TRUE(handed_out.insert(b->bundle.one_time_pre_key->id).second)
        << "id handed out twice: " << b->bundle.one_time_pre_key->id;
  }
  EXPECT_EQ(handed_out.size(), 181u);
}

TEST_F(AccountFakeTest, MaintainFinishesAnInterruptedFirstUpload) {
  std::unique_ptr<Party> employee = NewParty();
  relay_->FailNextCall(RelayMethod::kUploadKeys,
                       absl::UnavailableError("connection reset"));
  absl::Status registered =
      employee->account->RegisterEmployee(org_.access_code, t0_);
  EXPECT_EQ(registered.code(), absl::StatusCode::kUnavailable) << registered;
  ASSERT_TRUE(employee->account->registered());
  EXPECT_FALSE(employee->account->state().keys_uploaded);
  EXPECT_EQ(employee->transport->GetSenderCertificate().status().code(),
            absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<MaintenanceReport> report = employee->account->Maintain(t0_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->initial_keys_uploaded);
  EXPECT_TRUE(employee->account->state().keys_uploaded);
  EXPECT_EQ(employee->transport->GetPreKeyCount().value_or(0), 100u);
  EXPECT_TRUE(employee->transport->GetSenderCertificate().ok());
}

TEST_F(AccountFakeTest, UnreachableRelayLeavesTheProfileUnregistered) {
  std::unique_ptr<Party> employee = NewParty();
  relay_->SetReachable(false);
  EXPECT_EQ(employee->account->RegisterEmployee(org_.access_code, t0_).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(employee->account->registered());
  relay_->SetReachable(true);
  EXPECT_TRUE(employee->account->RegisterEmployee(org_.access_code, t0_).ok());
  EXPECT_EQ(relay_->CallCount(RelayMethod::kRegisterEmployee), 2);
}

TEST_F(AccountFakeTest, StateAnswersWhileMaintainWaitsForTheRelay) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  relay_->HoldCalls(RelayMethod::kGetPreKeyCount);
  absl::StatusOr<MaintenanceReport> report;
  std::thread maintain([&] { report = tp->account->Maintain(t0_); });
  ASSERT_TRUE(
      relay_->WaitForHeldCall(RelayMethod::kGetPreKeyCount, absl::Seconds(10)));
  std::future<void> read = Read(*tp);
  const bool answered = Answered(read);
  relay_->ReleaseCalls(RelayMethod::kGetPreKeyCount);
  maintain.join();
  EXPECT_TRUE(answered) << "state() waited for Maintain's call to the relay";
  EXPECT_TRUE(report.ok()) << report.status();
}

TEST_F(AccountFakeTest, StateAnswersWhileRegistrationWaitsForTheRelay) {
  std::unique_ptr<Party> employee = NewParty();
  relay_->HoldCalls(RelayMethod::kRegisterEmployee);
  absl::Status registered;
  std::thread join([&] {
    registered = employee->account->RegisterEmployee(org_.access_code, t0_);
  });
  ASSERT_TRUE(relay_->WaitForHeldCall(RelayMethod::kRegisterEmployee,
                                      absl::Seconds(10)));
  std::future<void> read_registering = Read(*employee);
  const bool answered_registering = Answered(read_registering);
  relay_->HoldCalls(RelayMethod::kUploadKeys);
  relay_->ReleaseCalls(RelayMethod::kRegisterEmployee);
  ASSERT_TRUE(
      relay_->WaitForHeldCall(RelayMethod::kUploadKeys, absl::Seconds(10)));
  std::future<void> read_uploading = Read(*employee);
  const bool answered_uploading = Answered(read_uploading);
  relay_->ReleaseCalls(RelayMethod::kUploadKeys);
  join.join();
  EXPECT_TRUE(answered_registering);
  EXPECT_TRUE(answered_uploading);
  EXPECT_TRUE(registered.ok()) << registered;
  EXPECT_TRUE(employee->account->state().keys_uploaded);
}

TEST_F(AccountFakeTest, ConcurrentMaintainCallsRefillOnce) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> employee = NewEmployee();
  for (int i = 0; i < 81; ++i) {
    ASSERT_TRUE(employee->transport->GetPreKeyBundle(tp->id()).ok());
  }
  relay_->HoldCalls(RelayMethod::kUploadKeys);
  absl::StatusOr<MaintenanceReport> first;
  absl::StatusOr<MaintenanceReport> second;
  std::thread a([&] { first = tp->account->Maintain(t0_); });
  ASSERT_TRUE(
      relay_->WaitForHeldCall(RelayMethod::kUploadKeys, absl::Seconds(10)));
  // The second waits for the first to finish, not for the relay's count.
  std::thread b([&] { second = tp->account->Maintain(t0_); });
  std::future<void> read = Read(*tp);
  EXPECT_TRUE(Answered(read));
  relay_->ReleaseCalls(RelayMethod::kUploadKeys);
  a.join();
  b.join();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(
      first->one_time_pre_keys_uploaded + second->one_time_pre_keys_uploaded,
      81u);
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 100u);
}

}  // namespace
}  // namespace confidant::client
