// The storage contract (server/storage/storage.h), run against the in-memory
// storage and RocksDB alike: organisations, accounts and invites, and keys.
// The mailboxes' part of the contract is in storage_contract_mailbox_test.cc
// (instantiated here too), what only RocksDB can do in rocksdb_storage_test.cc.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/storage_contract_fixture.h"

namespace confidant::server::storage_testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Every TEST_P of StorageContractTest in this binary, on both backends.
INSTANTIATE_TEST_SUITE_P(
    Backends, StorageContractTest,
    ::testing::Values(Backend::kMemory, Backend::kRocksDb),
    [](const ::testing::TestParamInfo<Backend>& param_info) {
      return param_info.param == Backend::kMemory ? "Memory" : "RocksDb";
    });

// ---- Organisations ----

TEST_P(StorageContractTest, OrganisationCreateAndGet) {
  ASSERT_OK(orgs().Create(Org(1, "Acme"), Hash("code1")));
  auto got = orgs().Get(OrgId(1));
  ASSERT_OK(got);
  EXPECT_EQ(got->id, OrgId(1));
  EXPECT_EQ(got->name, "Acme");
  EXPECT_EQ(got->created_hour, 1001u);
  EXPECT_CODE(orgs().Get(OrgId(2)), kNotFound);
  EXPECT_CODE(orgs().Get("not-an-id"), kInvalidArgument);
}

TEST_P(StorageContractTest, OrganisationDuplicateIdRejected) {
  ASSERT_OK(orgs().Create(Org(1, "Acme"), Hash("code1")));
  EXPECT_CODE(orgs().Create(Org(1, "Other"), Hash("code2")), kAlreadyExists);
  EXPECT_CODE(orgs().FindByAccessCode(Hash("code2")), kNotFound);
  EXPECT_EQ(orgs().Get(OrgId(1))->name, "Acme");
}

TEST_P(StorageContractTest, OrganisationDuplicateNameIgnoringCaseRejected) {
  ASSERT_OK(orgs().Create(Org(1, "Acme Care"), Hash("code1")));
  EXPECT_CODE(orgs().Create(Org(2, "ACME care"), Hash("code2")),
              kAlreadyExists);
  EXPECT_CODE(orgs().Get(OrgId(2)), kNotFound);
  EXPECT_CODE(orgs().FindByAccessCode(Hash("code2")), kNotFound);
  EXPECT_EQ(orgs().List()->size(), 1u);
}

TEST_P(StorageContractTest, OrganisationMalformedInputRejected) {
  EXPECT_CODE(
      orgs().Create(OrganisationRecord{"ABCDEF0123456789", "X", 1}, Hash("c")),
      kInvalidArgument);
  EXPECT_CODE(orgs().Create(Org(1, "X"), "short"), kInvalidArgument);
  EXPECT_THAT(*orgs().List(), IsEmpty());
}

TEST_P(StorageContractTest, OrganisationListOrderedByName) {
  ASSERT_OK(orgs().Create(Org(1, "Zeta"), Hash("c1")));
  ASSERT_OK(orgs().Create(Org(2, "alpha"), Hash("c2")));
  ASSERT_OK(orgs().Create(Org(3, "Beta"), Hash("c3")));
  auto list = orgs().List();
  ASSERT_OK(list);
  std::vector<std::string> names;
  for (const OrganisationRecord& o : *list) names.push_back(o.name);
  EXPECT_THAT(names, ElementsAre("alpha", "Beta", "Zeta"));
}

TEST_P(StorageContractTest, OrganisationFindByAccessCode) {
  ASSERT_OK(orgs().Create(Org(1, "One"), Hash("c1")));
  ASSERT_OK(orgs().Create(Org(2, "Two"), Hash("c2")));
  auto found = orgs().FindByAccessCode(Hash("c2"));
  ASSERT_OK(found);
  EXPECT_EQ(found->id, OrgId(2));
  EXPECT_CODE(orgs().FindByAccessCode(Hash("c3")), kNotFound);
}

TEST_P(StorageContractTest, OrganisationReplaceAccessCode) {
  ASSERT_OK(orgs().Create(Org(1, "One"), Hash("old")));
  ASSERT_OK(orgs().ReplaceAccessCode(OrgId(1), Hash("new")));
  EXPECT_CODE(orgs().FindByAccessCode(Hash("old")), kNotFound);
  EXPECT_EQ(orgs().FindByAccessCode(Hash("new"))->id, OrgId(1));
  EXPECT_EQ(orgs().Get(OrgId(1))->name, "One");
  EXPECT_CODE(orgs().ReplaceAccessCode(OrgId(9), Hash("x")), kNotFound);
}

// ---- Accounts and invites ----

TEST_P(StorageContractTest, AccountCreateAndGet) {
  const AccountRecord tp =
      Account(1, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(1)});
  ASSERT_OK(accounts().Create(tp));
  auto got = accounts().Get(AccountId(1));
  ASSERT_OK(got);
  EXPECT_EQ(got->id, tp.id);
  EXPECT_EQ(got->kind, v1::ACCOUNT_KIND_TRUST_PERSON);
  EXPECT_EQ(got->secret_hash, tp.secret_hash);
  EXPECT_THAT(got->organisation_ids, ElementsAre(OrgId(1)));
  EXPECT_EQ(got->profile.SerializeAsString(), tp.profile.SerializeAsString());
  EXPECT_EQ(got->created_hour, 500u);
}

TEST_P(StorageContractTest, AccountDuplicateRejected) {
  ASSERT_OK(accounts().Create(Account(1, v1::ACCOUNT_KIND_EMPLOYEE)));
  AccountRecord again = Account(1, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(1)});
  EXPECT_CODE(accounts().Create(again), kAlreadyExists);
  EXPECT_EQ(accounts().Get(AccountId(1))->kind, v1::ACCOUNT_KIND_EMPLOYEE);
  EXPECT_THAT(*accounts().ListTrustPersons(OrgId(1)), IsEmpty());
}

TEST_P(StorageContractTest, AccountNotFoundAndMalformed) {
  EXPECT_CODE(accounts().Get(AccountId(1)), kNotFound);
  EXPECT_CODE(accounts().Get("short"), kInvalidArgument);
  AccountRecord bad = Account(1, v1::ACCOUNT_KIND_EMPLOYEE);
  bad.secret_hash = "short";
  EXPECT_CODE(accounts().Create(bad), kInvalidArgument);
}

TEST_P(StorageContractTest, InviteIsConsumedOnce) {
  ASSERT_OK(accounts().AddInvite(Hash("inv"), {{OrgId(1), OrgId(2)}, 100}));
  auto created = accounts().CreateWithInvite(
      Hash("inv"), 50, Account(1, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(7)}));
  ASSERT_OK(created);
  EXPECT_THAT(created->organisation_ids, ElementsAre(OrgId(1), OrgId(2)));
  EXPECT_THAT(accounts().Get(AccountId(1))->organisation_ids,
              ElementsAre(OrgId(1), OrgId(2)));
  EXPECT_CODE(accounts().CreateWithInvite(
                  Hash("inv"), 50, Account(2, v1::ACCOUNT_KIND_TRUST_PERSON)),
              kNotFound);
  EXPECT_CODE(accounts().Get(AccountId(2)), kNotFound);
  EXPECT_EQ(accounts().Count(50)->open_invites, 0u);
}

TEST_P(StorageContractTest, ExpiredInviteFailsAndStoresNothing) {
  ASSERT_OK(accounts().AddInvite(Hash("inv"), {{OrgId(1)}, 100}));
  EXPECT_CODE(accounts().CreateWithInvite(
                  Hash("inv"), 100, Account(1, v1::ACCOUNT_KIND_TRUST_PERSON)),
              kFailedPrecondition);
  EXPECT_CODE(accounts().Get(AccountId(1)), kNotFound);
  EXPECT_THAT(*accounts().ListTrustPersons(OrgId(1)), IsEmpty());
  // The expired invite is gone.
  EXPECT_CODE(accounts().CreateWithInvite(
                  Hash("inv"), 10, Account(1, v1::ACCOUNT_KIND_TRUST_PERSON)),
              kNotFound);
}

TEST_P(StorageContractTest, InviteWithTakenAccountIdIsKept) {
  ASSERT_OK(accounts().Create(Account(1, v1::ACCOUNT_KIND_EMPLOYEE)));
  ASSERT_OK(accounts().AddInvite(Hash("inv"), {{OrgId(1)}, 100}));
  EXPECT_CODE(accounts().CreateWithInvite(
                  Hash("inv"), 50, Account(1, v1::ACCOUNT_KIND_TRUST_PERSON)),
              kAlreadyExists);
  EXPECT_OK(accounts().CreateWithInvite(
      Hash("inv"), 50, Account(2, v1::ACCOUNT_KIND_TRUST_PERSON)));
}

TEST_P(StorageContractTest, ListTrustPersonsPerOrganisation) {
  ASSERT_OK(
      accounts().Create(Account(3, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(1)})));
  ASSERT_OK(accounts().Create(
      Account(1, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(1), OrgId(2)})));
  ASSERT_OK(
      accounts().Create(Account(2, v1::ACCOUNT_KIND_EMPLOYEE, {OrgId(1)})));
  ASSERT_OK(accounts().AddInvite(Hash("inv"), {{OrgId(2)}, 100}));
  ASSERT_OK(accounts().CreateWithInvite(
      Hash("inv"), 1, Account(4, v1::ACCOUNT_KIND_TRUST_PERSON)));

  auto ids = [&](int org) {
    std::vector<std::string> out;
    auto listed = accounts().ListTrustPersons(OrgId(org));
    for (const AccountRecord& a : listed.value()) out.push_back(a.id);
    return out;
  };
  EXPECT_THAT(ids(1), ElementsAre(AccountId(1), AccountId(3)));
  EXPECT_THAT(ids(2), ElementsAre(AccountId(1), AccountId(4)));
  EXPECT_THAT(ids(3), IsEmpty());
  EXPECT_EQ(
      accounts().ListTrustPersons(OrgId(1))->front().profile.display_name(),
      "Person 1");
}

TEST_P(StorageContractTest, CountEmployeesTrustPersonsAndOpenInvites) {
  ASSERT_OK(accounts().Create(Account(1, v1::ACCOUNT_KIND_EMPLOYEE)));
  ASSERT_OK(accounts().Create(Account(2, v1::ACCOUNT_KIND_EMPLOYEE)));
  ASSERT_OK(
      accounts().Create(Account(3, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(1)})));
  ASSERT_OK(accounts().AddInvite(Hash("a"), {{OrgId(1)}, 100}));
  ASSERT_OK(accounts().AddInvite(Hash("b"), {{OrgId(1)}, 200}));
  auto counts = accounts().Count(50);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->employees, 2u);
  EXPECT_EQ(counts->trust_persons, 1u);
  EXPECT_EQ(counts->open_invites, 2u);
  EXPECT_EQ(accounts().Count(100)->open_invites, 1u);
  EXPECT_EQ(accounts().Count(200)->open_invites, 0u);
}

TEST_P(StorageContractTest, DeleteExpiredInvites) {
  ASSERT_OK(accounts().AddInvite(Hash("a"), {{OrgId(1)}, 100}));
  ASSERT_OK(accounts().AddInvite(Hash("b"), {{OrgId(1)}, 101}));
  ASSERT_OK(accounts().AddInvite(Hash("c"), {{OrgId(1)}, 300}));
  EXPECT_EQ(*accounts().DeleteExpiredInvites(99), 0u);
  EXPECT_EQ(*accounts().DeleteExpiredInvites(101), 2u);
  EXPECT_EQ(*accounts().DeleteExpiredInvites(101), 0u);
  EXPECT_EQ(accounts().Count(0)->open_invites, 1u);
  EXPECT_CODE(accounts().CreateWithInvite(
                  Hash("a"), 0, Account(1, v1::ACCOUNT_KIND_TRUST_PERSON)),
              kNotFound);
  EXPECT_OK(accounts().CreateWithInvite(
      Hash("c"), 101, Account(1, v1::ACCOUNT_KIND_TRUST_PERSON)));
}

// ---- Keys ----

TEST_P(StorageContractTest, FirstUploadNeedsRegistrationIdAndSignedPreKey) {
  KeyUpload no_registration = FirstUpload('i', {1});
  no_registration.registration_id = 0;
  EXPECT_CODE(keys().Upload(AccountId(1), no_registration, 100),
              kFailedPrecondition);
  KeyUpload no_signed = FirstUpload('i', {1});
  no_signed.signed_pre_key.reset();
  EXPECT_CODE(keys().Upload(AccountId(1), no_signed, 100), kFailedPrecondition);
  EXPECT_CODE(keys().GetIdentity(AccountId(1)), kNotFound);
  EXPECT_CODE(keys().TakeBundle(AccountId(1)), kNotFound);
}

TEST_P(StorageContractTest, UploadStoresIdentityAndKeys) {
  auto count = keys().Upload(AccountId(1), FirstUpload('i', {1, 2, 3}), 100);
  ASSERT_OK(count);
  EXPECT_EQ(*count, 3u);
  auto identity = keys().GetIdentity(AccountId(1));
  ASSERT_OK(identity);
  EXPECT_EQ(identity->identity_key, Key33('i'));
  EXPECT_EQ(identity->registration_id, 4242u);
  EXPECT_EQ(identity->signed_pre_key.id, 7u);
  EXPECT_EQ(identity->signed_pre_key.public_key, Key33('s'));
  EXPECT_EQ(identity->signed_pre_key.signature, std::string(64, 'g'));
  EXPECT_EQ(*keys().CountOneTimePreKeys(AccountId(1)), 3u);

  // A later upload with registration id 0 and no signed pre-key adds keys.
  KeyUpload more;
  more.identity_key = Key33('i');
  more.one_time_pre_keys = {{4, Key33('d')}};
  EXPECT_EQ(*keys().Upload(AccountId(1), more, 100), 4u);
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->registration_id, 4242u);
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->signed_pre_key.id, 7u);

  // A new signed pre-key replaces the old one.
  KeyUpload rotate;
  rotate.identity_key = Key33('i');
  rotate.signed_pre_key =
      SignedPreKeyRecord{8, Key33('t'), std::string(64, 'h')};
  EXPECT_EQ(*keys().Upload(AccountId(1), rotate, 100), 4u);
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->signed_pre_key.id, 8u);
}

TEST_P(StorageContractTest, DifferentIdentityNeedsReplace) {
  ASSERT_OK(keys().Upload(AccountId(1), FirstUpload('i', {1, 2}), 100));
  KeyUpload other = FirstUpload('j', {3});
  EXPECT_CODE(keys().Upload(AccountId(1), other, 100), kFailedPrecondition);
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->identity_key, Key33('i'));
  EXPECT_EQ(*keys().CountOneTimePreKeys(AccountId(1)), 2u);
}

TEST_P(StorageContractTest, ReplaceIdentityDropsOneTimeKeys) {
  ASSERT_OK(keys().Upload(AccountId(1), FirstUpload('i', {1, 2, 3}), 100));
  KeyUpload replace = FirstUpload('j', {10, 11});
  replace.registration_id = 99;
  replace.replace_identity = true;
  EXPECT_EQ(*keys().Upload(AccountId(1), replace, 100), 2u);
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->identity_key, Key33('j'));
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->registration_id, 99u);
  EXPECT_EQ(keys().TakeBundle(AccountId(1))->one_time_pre_key->id, 10u);
  EXPECT_EQ(keys().TakeBundle(AccountId(1))->one_time_pre_key->id, 11u);
  EXPECT_FALSE(keys().TakeBundle(AccountId(1))->one_time_pre_key.has_value());
}

TEST_P(StorageContractTest, OneTimeKeyCapWritesNothing) {
  ASSERT_OK(keys().Upload(AccountId(1), FirstUpload('i', {1, 2, 3}), 5));
  KeyUpload over;
  over.identity_key = Key33('i');
  over.signed_pre_key = SignedPreKeyRecord{9, Key33('u'), std::string(64, 'x')};
  over.one_time_pre_keys = {{4, Key33('d')}, {5, Key33('e')}, {6, Key33('f')}};
  EXPECT_CODE(keys().Upload(AccountId(1), over, 5), kResourceExhausted);
  EXPECT_EQ(*keys().CountOneTimePreKeys(AccountId(1)), 3u);
  EXPECT_EQ(keys().GetIdentity(AccountId(1))->signed_pre_key.id, 7u);
  // Exactly at the cap is fine; re-sent ids do not count twice.
  over.one_time_pre_keys.pop_back();
  over.one_time_pre_keys.push_back({1, Key33('z')});
  EXPECT_EQ(*keys().Upload(AccountId(1), over, 5), 5u);
  EXPECT_CODE(keys().Upload(AccountId(2), FirstUpload('i', {1, 2}), 1),
              kResourceExhausted);
  EXPECT_CODE(keys().GetIdentity(AccountId(2)), kNotFound);
}

TEST_P(StorageContractTest, SameKeyIdReplacesKey) {
  ASSERT_OK(keys().Upload(AccountId(1), FirstUpload('i', {7}), 100));
  KeyUpload again;
  again.identity_key = Key33('i');
  again.one_time_pre_keys = {{7, Key33('q')}};
  EXPECT_EQ(*keys().Upload(AccountId(1), again, 100), 1u);
  auto bundle = keys().TakeBundle(AccountId(1));
  ASSERT_OK(bundle);
  EXPECT_EQ(bundle->one_time_pre_key->public_key, Key33('q'));
}

TEST_P(StorageContractTest, TakeBundleLowestIdFirstEachOnce) {
  ASSERT_OK(keys().Upload(AccountId(1),
                          FirstUpload('i', {256, 2, 70000, 1, 16777215}), 100));
  ASSERT_OK(keys().Upload(AccountId(2), FirstUpload('k', {0}), 100));
  std::vector<uint32_t> taken;
  for (int i = 0; i < 5; ++i) {
    auto bundle = keys().TakeBundle(AccountId(1));
    ASSERT_OK(bundle);
    EXPECT_EQ(bundle->identity.identity_key, Key33('i'));
    ASSERT_TRUE(bundle->one_time_pre_key.has_value());
    taken.push_back(bundle->one_time_pre_key->id);
  }
  EXPECT_THAT(taken, ElementsAre(1, 2, 256, 70000, 16777215));
  EXPECT_EQ(*keys().CountOneTimePreKeys(AccountId(1)), 0u);
  EXPECT_EQ(*keys().CountOneTimePreKeys(AccountId(2)), 1u);
}

TEST_P(StorageContractTest, BundleWithoutOneTimeKey) {
  ASSERT_OK(keys().Upload(AccountId(1), FirstUpload('i', {}), 100));
  auto bundle = keys().TakeBundle(AccountId(1));
  ASSERT_OK(bundle);
  EXPECT_EQ(bundle->identity.identity_key, Key33('i'));
  EXPECT_EQ(bundle->identity.registration_id, 4242u);
  EXPECT_EQ(bundle->identity.signed_pre_key.id, 7u);
  EXPECT_FALSE(bundle->one_time_pre_key.has_value());
  EXPECT_CODE(keys().TakeBundle(AccountId(2)), kNotFound);
}

TEST_P(StorageContractTest, ConcurrentTakeBundleHandsOutEachKeyOnce) {
  constexpr int kKeys = 200;
  constexpr int kThreads = 8;
  constexpr int kTakesPerThread = 30;  // 240 takes for 200 keys
  std::vector<uint32_t> ids;
  for (int i = 0; i < kKeys; ++i) ids.push_back(static_cast<uint32_t>(i * 3));
  ASSERT_OK(keys().Upload(AccountId(1), FirstUpload('i', ids), 1000));

  absl::Mutex mu;
  std::vector<uint32_t> taken;
  int without_key = 0;
  int errors = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kTakesPerThread; ++i) {
        auto bundle = keys().TakeBundle(AccountId(1));
        absl::MutexLock lock(&mu);
        if (!bundle.ok()) {
          ++errors;
        } else if (bundle->one_time_pre_key) {
          taken.push_back(bundle->one_time_pre_key->id);
        } else {
          ++without_key;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(without_key, kThreads * kTakesPerThread - kKeys);
  std::sort(taken.begin(), taken.end());
  EXPECT_EQ(taken, ids);
}

}  // namespace
}  // namespace confidant::server::storage_testing
