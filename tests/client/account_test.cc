// The client's account lifecycle against the real confidant-relay binary
// (127.0.0.1 port 0, temporary data directory), with organisations and
// invites made by the real confidant-admin: registering, sending, receiving
// and acknowledging, following live, and the one-time and signed pre-keys
// refilled, expired and rotated. The transport's failures and proxies are in
// account_transport_test.cc.
#include "client/account.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/crypto_stores.h"
#include "client/transport.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/client/account_fixture.h"

namespace confidant::client::account_testing {
namespace {

TEST_F(AccountTest, RegistersListsSendsReceivesAndAcks) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));

  AccountState tp_state = tp->account->state();
  EXPECT_EQ(tp_state.kind, AccountKind::kTrustPerson);
  EXPECT_EQ(tp_state.account_id.size(), 16u);
  EXPECT_EQ(tp_state.secret.size(), 32u);
  EXPECT_TRUE(tp_state.keys_uploaded);
  ASSERT_EQ(tp_state.organisations.size(), 1u);
  EXPECT_EQ(tp_state.organisations[0].id, org_.organisation().id());
  EXPECT_EQ(tp->store->pre_key_count(), 100u);
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 100u);

  AccountState emp_state = emp->account->state();
  EXPECT_EQ(emp_state.kind, AccountKind::kEmployee);
  ASSERT_EQ(emp_state.organisations.size(), 1u);
  EXPECT_EQ(emp_state.organisations[0].name, "Gemeente Voorbeeld");

  absl::StatusOr<TrustPersonList> list = emp->transport->ListTrustPersons("");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->organisation.id, org_.organisation().id());
  ASSERT_EQ(list->trust_persons.size(), 1u);
  EXPECT_EQ(list->trust_persons[0].account_id, tp->id());
  EXPECT_EQ(list->trust_persons[0].profile, Profile());
  EXPECT_EQ(list->trust_persons[0].identity_key,
            tp->store->LocalIdentity()->public_key());

  absl::StatusOr<PeerBundle> bundle = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->account_id, tp->id());
  EXPECT_EQ(bundle->bundle.signed_pre_key_id, tp_state.signed_pre_key_id);
  ASSERT_TRUE(bundle->bundle.one_time_pre_key.has_value());
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*emp, *tp, bundle->bundle, "Ik wil iets melden."));

  EXPECT_EQ(ReceiveAll(*tp, *emp),
            std::vector<std::string>{"Ik wil iets melden."});
  EXPECT_EQ(tp->store->pre_key_count(), 99u);  // the used one is gone
  absl::StatusOr<std::vector<Envelope>> after = DrainMailbox(*tp->transport);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->empty());

  // The reply travels over the established session.
  absl::StatusOr<crypto::Ciphertext> reply =
      tp->sessions->Encrypt(emp->address(), "Dank je, vertel.");
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(tp->transport->Send(emp->id(), ToWire(*reply)).ok());
  EXPECT_EQ(ReceiveAll(*emp, *tp),
            std::vector<std::string>{"Dank je, vertel."});

  EXPECT_EQ(tp->account->RegisterEmployee(org_.access_code(), t0_).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AccountTest, FollowsLiveAndCancelsFromAnotherThread) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp->transport->OpenReceive();
  ASSERT_TRUE(stream.ok()) << stream.status();
  absl::StatusOr<ReceiveEvent> first = (*stream)->Read();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->queue_empty);

  ASSERT_TRUE(emp->transport->Send(tp->id(), "live").ok());
  absl::StatusOr<ReceiveEvent> live = (*stream)->Read();
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_FALSE(live->queue_empty);
  EXPECT_EQ(live->envelope.content, "live");
  EXPECT_GT(live->envelope.stored_hour, 0u);

  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    (*stream)->Cancel();
  });
  absl::StatusOr<ReceiveEvent> cancelled = (*stream)->Read();
  canceller.join();
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);

  // Not acked: a new drain delivers it again.
  absl::StatusOr<std::vector<Envelope>> again = DrainMailbox(*tp->transport);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].seq, live->envelope.seq);
}

TEST_F(AccountTest, RefillsOneTimePreKeysWithFreshIds) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  absl::StatusOr<MaintenanceReport> idle = tp->account->Maintain(t0_);
  ASSERT_TRUE(idle.ok()) << idle.status();
  EXPECT_EQ(idle->one_time_pre_keys_uploaded, 0u);
  EXPECT_FALSE(idle->signed_pre_key_rotated);
  EXPECT_EQ(idle->one_time_pre_key_count, 100u);

  std::set<uint32_t> handed_out;
  auto fetch = [&](int n) {
    for (int i = 0; i < n; ++i) {
      absl::StatusOr<PeerBundle> b = emp->transport->GetPreKeyBundle(tp->id());
      ASSERT_TRUE(b.ok()) << b.status();
      ASSERT_TRUE(b->bundle.one_time_pre_key.has_value());
      EXPECT_TRUE(handed_out.insert(b->bundle.one_time_pre_key->id).second)
          << "id handed out twice: " << b->bundle.one_time_pre_key->id;
    }
  };
  ASSERT_NO_FATAL_FAILURE(fetch(81));
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 19u);

  absl::StatusOr<MaintenanceReport> refill = tp->account->Maintain(t0_);
  ASSERT_TRUE(refill.ok()) << refill.status();
  EXPECT_EQ(refill->one_time_pre_keys_uploaded, 81u);
  EXPECT_EQ(refill->one_time_pre_key_count, 100u);
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 100u);

  // Every remaining key, old and new, is distinct from those handed out.
  ASSERT_NO_FATAL_FAILURE(fetch(100));
  EXPECT_EQ(handed_out.size(), 181u);
  for (uint32_t id : handed_out) {
    EXPECT_TRUE(tp->store->ContainsPreKey(id).value_or(false)) << id;
  }
  absl::StatusOr<PeerBundle> empty = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_FALSE(empty->bundle.one_time_pre_key.has_value());

  // A session from one of the new keys works.
  absl::StatusOr<MaintenanceReport> again = tp->account->Maintain(t0_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->one_time_pre_keys_uploaded, 100u);
  absl::StatusOr<PeerBundle> fresh = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  ASSERT_TRUE(fresh->bundle.one_time_pre_key.has_value());
  EXPECT_EQ(handed_out.count(fresh->bundle.one_time_pre_key->id), 0u);
  ASSERT_NO_FATAL_FAILURE(SendFromBundle(*emp, *tp, fresh->bundle, "nieuw"));
  EXPECT_EQ(ReceiveAll(*tp, *emp), std::vector<std::string>{"nieuw"});
}

TEST_F(AccountTest, HandedOutOneTimePreKeysExpireAfter90DaysUnused) {
  org_ = AdminJson<v1::CreateOrganisationResponse>(
      {"org", "create", "Gemeente Voorbeeld"});
  auto invite = AdminJson<v1::CreateInviteResponse>(
      {"invite", "create", "--org", org_.organisation().id()});
  AccountOptions options;
  // The signed pre-key stays, so only the one-time pre-keys matter here.
  options.signed_pre_key_rotation = absl::Hours(24 * 10000);
  std::unique_ptr<ProfileParty> tp = NewProfileParty(options);
  ASSERT_NE(tp, nullptr);
  ASSERT_TRUE(
      tp->account->RegisterTrustPerson(invite.invite_code(), Profile(), t0_)
          .ok());
  std::unique_ptr<Party> emp = NewParty();
  ASSERT_TRUE(emp->account->RegisterEmployee(org_.access_code(), t0_).ok());
  const absl::Duration day = absl::Hours(24);

  // The relay hands out ids 1 and 2 (lowest first); 3..100 stay on it.
  absl::StatusOr<PeerBundle> first = emp->transport->GetPreKeyBundle(tp->id());
  absl::StatusOr<PeerBundle> second = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->bundle.one_time_pre_key->id, 1u);
  ASSERT_EQ(second->bundle.one_time_pre_key->id, 2u);
  absl::StatusOr<MaintenanceReport> seen = tp->account->Maintain(t0_);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->one_time_pre_key_count, 98u);
  EXPECT_EQ(seen->handed_out_pre_keys_expired, 0);
  absl::StatusOr<std::map<uint32_t, absl::Time>> handouts =
      tp->store->Handouts();
  ASSERT_TRUE(handouts.ok()) << handouts.status();
  // Stored to the microsecond.
  const absl::Time t0_stored = absl::FromUnixMicros(absl::ToUnixMicros(t0_));
  EXPECT_EQ(*handouts,
            (std::map<uint32_t, absl::Time>{{1, t0_stored}, {2, t0_stored}}));

  // 89 days later both are kept, and a late first message still decrypts.
  absl::StatusOr<MaintenanceReport> day89 =
      tp->account->Maintain(t0_ + 89 * day);
  ASSERT_TRUE(day89.ok()) << day89.status();
  EXPECT_EQ(day89->handed_out_pre_keys_expired, 0);
  EXPECT_TRUE(tp->store->ContainsPreKey(1).value_or(false));
  EXPECT_TRUE(tp->store->ContainsPreKey(2).value_or(false));
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*emp, *tp, first->bundle, "na 89 dagen"));
  EXPECT_EQ(ReceiveAll(*tp, *emp), std::vector<std::string>{"na 89 dagen"});
  EXPECT_FALSE(tp->store->ContainsPreKey(1).value_or(true));  // used
  EXPECT_EQ(tp->store->Handouts()->count(1), 0u);

  // 91 days after its handout the unused one is gone; those on the relay stay.
  absl::StatusOr<MaintenanceReport> day91 =
      tp->account->Maintain(t0_ + 91 * day);
  ASSERT_TRUE(day91.ok()) << day91.status();
  EXPECT_EQ(day91->handed_out_pre_keys_expired, 1);
  EXPECT_FALSE(tp->store->ContainsPreKey(2).value_or(true));
  EXPECT_TRUE(tp->store->Handouts()->empty());
  EXPECT_EQ(tp->store->OneTimePreKeyIds()->size(), 98u);

  // A first message made from it now fails to decrypt (docs/profile.md).
  std::unique_ptr<Party> late = NewParty();
  ASSERT_TRUE(late->account->RegisterEmployee(org_.access_code(), t0_).ok());
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*late, *tp, second->bundle, "te laat"));
  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*tp->transport);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_FALSE(
      tp->sessions->Decrypt(late->address(), FromWire((*got)[0].content)).ok());

  // Keys never handed out are never dropped, however long they wait.
  absl::StatusOr<MaintenanceReport> years =
      tp->account->Maintain(t0_ + 2000 * day);
  ASSERT_TRUE(years.ok()) << years.status();
  EXPECT_EQ(years->handed_out_pre_keys_expired, 0);
  for (uint32_t id = 3; id <= 100; ++id) {
    EXPECT_TRUE(tp->store->ContainsPreKey(id).value_or(false)) << id;
  }
}

TEST_F(AccountTest, RotatesSignedPreKeyAndKeepsTheOldOneForAGracePeriod) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  const uint32_t old_id = tp->account->state().signed_pre_key_id;
  absl::StatusOr<PeerBundle> old_bundle =
      emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(old_bundle.ok()) << old_bundle.status();
  EXPECT_EQ(old_bundle->bundle.signed_pre_key_id, old_id);

  const absl::Time week_later = t0_ + absl::Hours(24 * 8);
  absl::StatusOr<MaintenanceReport> rotated = tp->account->Maintain(week_later);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_TRUE(rotated->signed_pre_key_rotated);
  const AccountState state = tp->account->state();
  EXPECT_NE(state.signed_pre_key_id, old_id);
  ASSERT_EQ(state.retired_signed_pre_keys.size(), 1u);
  EXPECT_EQ(state.retired_signed_pre_keys[0].id, old_id);

  absl::StatusOr<PeerBundle> new_bundle =
      emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(new_bundle.ok()) << new_bundle.status();
  EXPECT_EQ(new_bundle->bundle.signed_pre_key_id, state.signed_pre_key_id);

  // A message started from the old bundle still decrypts.
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*emp, *tp, old_bundle->bundle, "uit de oude bundel"));
  EXPECT_EQ(ReceiveAll(*tp, *emp),
            std::vector<std::string>{"uit de oude bundel"});

  absl::StatusOr<MaintenanceReport> quiet =
      tp->account->Maintain(week_later + absl::Hours(1));
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_FALSE(quiet->signed_pre_key_rotated);
  EXPECT_EQ(quiet->retired_signed_pre_keys_deleted, 0);
  EXPECT_TRUE(tp->store->ContainsSignedPreKey(old_id).value_or(false));

  // After the grace period the old key is gone.
  absl::StatusOr<MaintenanceReport> later =
      tp->account->Maintain(week_later + absl::Hours(24 * 31));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->retired_signed_pre_keys_deleted, 1);
  EXPECT_FALSE(tp->store->ContainsSignedPreKey(old_id).value_or(true));
  EXPECT_TRUE(
      tp->store->ContainsSignedPreKey(tp->account->state().signed_pre_key_id)
          .value_or(false));
}

}  // namespace
}  // namespace confidant::client::account_testing
