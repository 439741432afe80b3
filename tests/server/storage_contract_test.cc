// The storage contract (server/storage/storage.h), run against the in-memory
// storage and RocksDB alike, plus what only RocksDB can do (reopen,
// checkpoints, refusing bad directories).
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "server/codes.h"
#include "server/storage/memory_storage.h"
#include "server/storage/rocksdb_storage.h"
#include "server/storage/storage.h"

namespace confidant::server {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

#define ASSERT_OK(expr)                      \
  do {                                       \
    const absl::Status st_ = StatusOf(expr); \
    ASSERT_TRUE(st_.ok()) << st_;            \
  } while (0)
#define EXPECT_OK(expr)                      \
  do {                                       \
    const absl::Status st_ = StatusOf(expr); \
    EXPECT_TRUE(st_.ok()) << st_;            \
  } while (0)
#define EXPECT_CODE(expr, code_)                           \
  do {                                                     \
    const absl::Status st_ = StatusOf(expr);               \
    EXPECT_EQ(st_.code(), absl::StatusCode::code_) << st_; \
  } while (0)

std::string AccountId(int n) {
  std::string id(kAccountIdSize, '\0');
  id[0] = 'a';
  id[14] = static_cast<char>(n >> 8);
  id[15] = static_cast<char>(n & 0xff);
  return id;
}
std::string OrgId(int n) { return absl::StrFormat("%016x", n); }
std::string Hash(std::string_view label) { return DomainHash("test", label); }

OrganisationRecord Org(int n, std::string name) {
  return OrganisationRecord{OrgId(n), std::move(name), 1000u + n};
}

AccountRecord Account(int n, v1::AccountKind kind,
                      std::vector<std::string> orgs = {}) {
  AccountRecord a;
  a.id = AccountId(n);
  a.kind = kind;
  a.secret_hash = Hash(absl::StrCat("secret", n));
  a.organisation_ids = std::move(orgs);
  a.created_hour = 500;
  if (kind == v1::ACCOUNT_KIND_TRUST_PERSON) {
    a.profile.set_display_name(absl::StrCat("Person ", n));
    a.profile.set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
    a.profile.add_languages("nl");
    a.profile.add_languages("en");
    a.profile.set_intro("Hello");
  }
  return a;
}

std::string Key33(char fill) {
  std::string k(33, fill);
  k[0] = 0x05;
  return k;
}

KeyUpload FirstUpload(char identity, std::vector<uint32_t> one_time_ids) {
  KeyUpload u;
  u.identity_key = Key33(identity);
  u.registration_id = 4242;
  u.signed_pre_key = SignedPreKeyRecord{7, Key33('s'), std::string(64, 'g')};
  for (uint32_t id : one_time_ids) {
    u.one_time_pre_keys.push_back(
        OneTimePreKeyRecord{id, Key33(static_cast<char>('A' + id % 26))});
  }
  return u;
}

std::vector<uint64_t> Seqs(const std::vector<StoredEnvelope>& envelopes) {
  std::vector<uint64_t> out;
  for (const StoredEnvelope& e : envelopes) out.push_back(e.seq);
  return out;
}

std::string MakeTempDir() {
  std::string tmpl =
      (fs::path(::testing::TempDir()) / "confidant_storage_XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  return made == nullptr ? std::string() : std::string(made);
}

enum class Backend { kMemory, kRocksDb };
void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kMemory ? "memory" : "rocksdb");
}

class StorageContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kMemory) {
      storage_ = NewMemoryStorage();
      return;
    }
    dir_ = MakeTempDir();
    ASSERT_FALSE(dir_.empty());
    auto opened = OpenRocksDbStorage(dir_ + "/db");
    ASSERT_OK(opened);
    storage_ = *std::move(opened);
  }

  void TearDown() override {
    storage_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  OrganisationStore& orgs() { return storage_->organisations(); }
  AccountStore& accounts() { return storage_->accounts(); }
  KeyStore& keys() { return storage_->keys(); }
  MailboxStore& mailboxes() { return storage_->mailboxes(); }

  std::string dir_;
  std::unique_ptr<Storage> storage_;
};

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

// ---- Mailboxes ----

const MailboxId kBoxA{AccountId(1), 1};
const MailboxId kBoxA2{AccountId(1), 2};
const MailboxId kBoxB{AccountId(2), 1};
constexpr uint32_t kNoCap = 1'000'000;

TEST_P(StorageContractTest, AppendSeqsIncreasePerMailbox) {
  uint64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    auto seq = mailboxes().Append(kBoxA, absl::StrCat("m", i), 10, kNoCap);
    ASSERT_OK(seq);
    EXPECT_GT(*seq, last);
    last = *seq;
  }
  auto other_device = mailboxes().Append(kBoxA2, "x", 10, kNoCap);
  auto other_account = mailboxes().Append(kBoxB, "y", 10, kNoCap);
  ASSERT_OK(other_device);
  ASSERT_OK(other_account);
  EXPECT_EQ(mailboxes().Read(kBoxA2, 0, 100, 1 << 20)->size(), 1u);
  EXPECT_EQ(mailboxes().Read(kBoxB, 0, 100, 1 << 20)->size(), 1u);
  auto all = mailboxes().Read(kBoxA, 0, 100, 1 << 20);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ((*all)[i].content, absl::StrCat("m", i));
    EXPECT_EQ((*all)[i].stored_hour, 10u);
  }
  EXPECT_CODE(mailboxes().Append(MailboxId{"short", 1}, "x", 1, kNoCap),
              kInvalidArgument);
}

TEST_P(StorageContractTest, ReadAfterSeqAndMaxCount) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 6; ++i) {
    seqs.push_back(*mailboxes().Append(kBoxA, "abc", 10, kNoCap));
  }
  EXPECT_EQ(Seqs(*mailboxes().Read(kBoxA, 0, 100, 1 << 20)), seqs);
  EXPECT_EQ(Seqs(*mailboxes().Read(kBoxA, seqs[2], 100, 1 << 20)),
            std::vector<uint64_t>(seqs.begin() + 3, seqs.end()));
  EXPECT_EQ(Seqs(*mailboxes().Read(kBoxA, seqs[0], 2, 1 << 20)),
            std::vector<uint64_t>(seqs.begin() + 1, seqs.begin() + 3));
  EXPECT_THAT(*mailboxes().Read(kBoxA, seqs[5], 100, 1 << 20), IsEmpty());
  EXPECT_THAT(*mailboxes().Read(kBoxB, 0, 100, 1 << 20), IsEmpty());
}

TEST_P(StorageContractTest, ReadMaxBytesReturnsAtLeastOne) {
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(mailboxes().Append(kBoxA, std::string(10, 'x'), 10, kNoCap));
  }
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 25)->size(), 2u);
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 20)->size(), 2u);
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 5)->size(), 1u);
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 0)->size(), 1u);
}

TEST_P(StorageContractTest, DeleteCountsOnlyExisting) {
  const uint64_t s1 = *mailboxes().Append(kBoxA, "1", 10, kNoCap);
  const uint64_t s2 = *mailboxes().Append(kBoxA, "2", 10, kNoCap);
  const uint64_t s3 = *mailboxes().Append(kBoxA, "3", 10, kNoCap);
  ASSERT_OK(mailboxes().Append(kBoxB, "b", 10, kNoCap));
  const std::vector<uint64_t> first = {s2, s2, s3 + 100};
  EXPECT_EQ(*mailboxes().Delete(kBoxA, first), 1u);
  const std::vector<uint64_t> second = {s1, s2, s3};
  EXPECT_EQ(*mailboxes().Delete(kBoxA, second), 2u);
  EXPECT_EQ(*mailboxes().Delete(kBoxA2, second), 0u);
  EXPECT_EQ(*mailboxes().Delete(kBoxA, second), 0u);
  EXPECT_THAT(*mailboxes().Read(kBoxA, 0, 100, 1 << 20), IsEmpty());
  EXPECT_EQ(*mailboxes().CountQueued(), 1u);
}

TEST_P(StorageContractTest, CapRejectsAppendUntilDelete) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 3; ++i) {
    seqs.push_back(*mailboxes().Append(kBoxA, "x", 10, 3));
  }
  EXPECT_CODE(mailboxes().Append(kBoxA, "over", 10, 3), kResourceExhausted);
  EXPECT_OK(mailboxes().Append(kBoxB, "other mailbox", 10, 3));
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 1 << 20)->size(), 3u);
  const std::vector<uint64_t> one = {seqs[1]};
  ASSERT_EQ(*mailboxes().Delete(kBoxA, one), 1u);
  auto next = mailboxes().Append(kBoxA, "fits", 10, 3);
  ASSERT_OK(next);
  EXPECT_GT(*next, seqs[2]);
  EXPECT_CODE(mailboxes().Append(kBoxA, "over", 10, 3), kResourceExhausted);
  EXPECT_CODE(mailboxes().Append(kBoxA2, "zero cap", 10, 0),
              kResourceExhausted);
}

TEST_P(StorageContractTest, ExpireBefore) {
  ASSERT_OK(mailboxes().Append(kBoxA, "h10", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA, "h12", 12, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA, "h11", 11, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxB, "b10", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA2, "a2-13", 13, kNoCap));
  EXPECT_EQ(*mailboxes().ExpireBefore(10), 0u);
  EXPECT_EQ(*mailboxes().ExpireBefore(12), 3u);
  EXPECT_EQ(*mailboxes().ExpireBefore(12), 0u);
  auto left = mailboxes().Read(kBoxA, 0, 100, 1 << 20);
  ASSERT_OK(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().content, "h12");
  EXPECT_THAT(*mailboxes().Read(kBoxB, 0, 100, 1 << 20), IsEmpty());
  EXPECT_EQ(*mailboxes().CountQueued(), 2u);
  // Counts freed by expiry are usable again under the cap.
  EXPECT_OK(mailboxes().Append(kBoxA, "again", 20, 2));
}

// A retention pass over more envelopes than one write batch holds.
TEST(RocksDbExpiryTest, SeveralBatchesExpireEverythingDue) {
  const std::string dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  struct Cleanup {
    std::string dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{dir};
  RocksDbStorageOptions options;
  options.expire_batch = 7;
  auto storage = OpenRocksDbStorage(dir + "/db", options);
  ASSERT_OK(storage);
  MailboxStore& mailboxes = (*storage)->mailboxes();
  const MailboxId a{AccountId(1), 1};
  const MailboxId b{AccountId(2), 1};
  for (int i = 0; i < 30; ++i) {
    ASSERT_OK(mailboxes.Append(i % 3 == 0 ? b : a, "old", 10 + i % 2, 1000));
  }
  ASSERT_OK(mailboxes.Append(a, "new", 50, 1000));
  absl::StatusOr<uint64_t> expired = mailboxes.ExpireBefore(20);
  ASSERT_OK(expired);
  EXPECT_EQ(*expired, 30u);
  EXPECT_EQ(*mailboxes.CountQueued(), 1u);
  auto left = mailboxes.Read(a, 0, 100, 1 << 20);
  ASSERT_OK(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().content, "new");
  EXPECT_THAT(*mailboxes.Read(b, 0, 100, 1 << 20), IsEmpty());
  // Exactly a multiple of the batch size due: the pass still ends.
  for (int i = 0; i < 14; ++i) ASSERT_OK(mailboxes.Append(b, "x", 60, 1000));
  EXPECT_EQ(*mailboxes.ExpireBefore(70), 15u);
  EXPECT_EQ(*mailboxes.CountQueued(), 0u);
}

TEST_P(StorageContractTest, CountQueuedAcrossMailboxes) {
  EXPECT_EQ(*mailboxes().CountQueued(), 0u);
  ASSERT_OK(mailboxes().Append(kBoxA, "1", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA, "2", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA2, "3", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxB, "4", 10, kNoCap));
  EXPECT_EQ(*mailboxes().CountQueued(), 4u);
}

TEST_P(StorageContractTest, SeqNeverReusedAfterDeletingEverything) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 3; ++i) {
    seqs.push_back(*mailboxes().Append(kBoxA, "x", 10, kNoCap));
  }
  ASSERT_EQ(*mailboxes().Delete(kBoxA, seqs), 3u);
  EXPECT_GT(*mailboxes().Append(kBoxA, "y", 10, kNoCap), seqs.back());
  ASSERT_EQ(*mailboxes().ExpireBefore(100), 1u);
  EXPECT_GT(*mailboxes().Append(kBoxA, "z", 10, kNoCap), seqs.back() + 1);
}

TEST_P(StorageContractTest, ConcurrentAppendsAreDistinctAndVisibleInOrder) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  const MailboxId shared{AccountId(100), 1};
  std::atomic<bool> writing{true};
  std::atomic<int> reader_gaps{0};
  // A reader that sees seq N must also see every earlier seq (no deletes
  // here, so the seqs it sees are a prefix of 1, 2, 3, ...).
  std::thread reader([&] {
    while (writing.load()) {
      auto read = mailboxes().Read(shared, 0, 100000, 1 << 30);
      if (!read.ok()) {
        ++reader_gaps;
        continue;
      }
      for (size_t i = 0; i < read->size(); ++i) {
        if ((*read)[i].seq != i + 1) ++reader_gaps;
      }
    }
  });

  std::vector<std::vector<uint64_t>> shared_seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const MailboxId own{AccountId(t), static_cast<uint32_t>(t + 1)};
      for (int i = 0; i < kPerThread; ++i) {
        auto seq =
            mailboxes().Append(shared, absl::StrCat(t, ":", i), 10, kNoCap);
        if (seq.ok()) shared_seqs[t].push_back(*seq);
        ASSERT_OK(mailboxes().Append(own, absl::StrCat(i), 10, kNoCap));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  writing = false;
  reader.join();
  EXPECT_EQ(reader_gaps.load(), 0);

  std::set<uint64_t> distinct;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(shared_seqs[t].size(), static_cast<size_t>(kPerThread));
    EXPECT_TRUE(std::is_sorted(shared_seqs[t].begin(), shared_seqs[t].end()));
    distinct.insert(shared_seqs[t].begin(), shared_seqs[t].end());
  }
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kPerThread));

  auto all = mailboxes().Read(shared, 0, 100000, 1 << 30);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), distinct.size());
  std::map<int, int> next_per_thread;
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, *std::next(distinct.begin(), 0) + i);
    // Each thread's envelopes appear in the order it appended them.
    const std::string& c = (*all)[i].content;
    const int t = std::stoi(c.substr(0, c.find(':')));
    const int n = std::stoi(c.substr(c.find(':') + 1));
    EXPECT_EQ(n, next_per_thread[t]++);
  }
  for (int t = 0; t < kThreads; ++t) {
    const MailboxId own{AccountId(t), static_cast<uint32_t>(t + 1)};
    auto mine = mailboxes().Read(own, 0, 1000, 1 << 20);
    ASSERT_OK(mine);
    ASSERT_EQ(mine->size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      EXPECT_EQ((*mine)[i].content, absl::StrCat(i));
    }
  }
  EXPECT_EQ(*mailboxes().CountQueued(),
            static_cast<uint64_t>(2 * kThreads * kPerThread));
}

// The async forms: each callback runs once, with the result the blocking form
// gives; appends queued back to back keep their order; the result is there
// to read once the callback ran.
TEST_P(StorageContractTest, AsyncAppendAndDeleteReportOnceInOrder) {
  constexpr int kCount = 200;
  absl::Mutex mu;
  std::vector<uint64_t> seqs(kCount, 0);
  std::vector<int> calls(kCount, 0);
  int done = 0;
  for (int i = 0; i < kCount; ++i) {
    mailboxes().AppendAsync(
        kBoxA, absl::StrCat("m", i), 10, kCount,
        [&, i](absl::StatusOr<uint64_t> seq) {
          absl::MutexLock lock(&mu);
          ++calls[i];
          if (seq.ok()) seqs[i] = *seq;
          ++done;
        });
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* n) { return *n == kCount; }, &done));
  }
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    if (i > 0) {
      EXPECT_GT(seqs[i], seqs[i - 1]) << i;
    }
  }
  auto all = mailboxes().Read(kBoxA, 0, 1000, 1 << 20);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ((*all)[i].seq, seqs[i]);
    EXPECT_EQ((*all)[i].content, absl::StrCat("m", i));
  }

  // Over the cap, and a malformed mailbox: errors through the callback.
  absl::Notification over_done;
  absl::Status over_status;
  mailboxes().AppendAsync(kBoxA, "over", 10, kCount,
                          [&](absl::StatusOr<uint64_t> seq) {
                            over_status = seq.status();
                            over_done.Notify();
                          });
  over_done.WaitForNotification();
  EXPECT_EQ(over_status.code(), absl::StatusCode::kResourceExhausted);
  absl::Notification bad_done;
  absl::Status bad_status;
  mailboxes().DeleteAsync(MailboxId{"short", 1}, {1},
                          [&](absl::StatusOr<uint32_t> deleted) {
                            bad_status = deleted.status();
                            bad_done.Notify();
                          });
  bad_done.WaitForNotification();
  EXPECT_EQ(bad_status.code(), absl::StatusCode::kInvalidArgument);

  // Deleting half of them, with one seq twice and one unknown.
  std::vector<uint64_t> to_delete(seqs.begin(), seqs.begin() + kCount / 2);
  to_delete.push_back(seqs[0]);
  to_delete.push_back(seqs.back() + 1000);
  absl::Notification deleted_done;
  absl::StatusOr<uint32_t> deleted;
  mailboxes().DeleteAsync(kBoxA, to_delete,
                          [&](absl::StatusOr<uint32_t> result) {
                            deleted = result;
                            deleted_done.Notify();
                          });
  deleted_done.WaitForNotification();
  ASSERT_OK(deleted);
  EXPECT_EQ(*deleted, static_cast<uint32_t>(kCount / 2));
  auto rest = mailboxes().Read(kBoxA, 0, 1000, 1 << 20);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->size(), static_cast<size_t>(kCount - kCount / 2));
  EXPECT_EQ(rest->front().seq, seqs[kCount / 2]);
  EXPECT_EQ(*mailboxes().CountQueued(),
            static_cast<uint64_t>(kCount - kCount / 2));
}

TEST_P(StorageContractTest, FlushAndDiskUsage) {
  ASSERT_OK(mailboxes().Append(kBoxA, "x", 10, kNoCap));
  EXPECT_OK(storage_->Flush());
  auto bytes = storage_->BytesOnDisk();
  ASSERT_OK(bytes);
  if (GetParam() == Backend::kMemory) {
    EXPECT_EQ(*bytes, 0u);
    EXPECT_CODE(storage_->Checkpoint("/nonexistent/checkpoint"),
                kFailedPrecondition);
  } else {
    EXPECT_GT(*bytes, 0u);
  }
}

// ---- RocksDB only ----

class RocksDbStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = MakeTempDir();
    ASSERT_FALSE(root_.empty());
    dir_ = root_ + "/db";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<Storage> Open(const std::string& dir) {
    auto opened = OpenRocksDbStorage(dir);
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? *std::move(opened) : nullptr;
  }

  // Fills `storage` with one of everything.
  static void Populate(Storage& storage) {
    ASSERT_OK(storage.organisations().Create(Org(1, "Acme"), Hash("code")));
    ASSERT_OK(storage.accounts().Create(
        Account(1, v1::ACCOUNT_KIND_TRUST_PERSON, {OrgId(1)})));
    ASSERT_OK(storage.accounts().AddInvite(Hash("inv"), {{OrgId(1)}, 100}));
    ASSERT_OK(
        storage.keys().Upload(AccountId(1), FirstUpload('i', {1, 2}), 10));
    ASSERT_OK(storage.mailboxes().Append(kBoxA, "hello", 10, kNoCap));
  }

  static void ExpectPopulated(Storage& storage) {
    EXPECT_EQ(storage.organisations().FindByAccessCode(Hash("code"))->name,
              "Acme");
    EXPECT_EQ(storage.accounts().ListTrustPersons(OrgId(1))->size(), 1u);
    EXPECT_EQ(storage.accounts().Count(50)->open_invites, 1u);
    EXPECT_EQ(*storage.keys().CountOneTimePreKeys(AccountId(1)), 2u);
    auto read = storage.mailboxes().Read(kBoxA, 0, 10, 1 << 20);
    ASSERT_OK(read);
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ(read->front().content, "hello");
  }

  std::string root_;
  std::string dir_;
};

TEST_F(RocksDbStorageTest, ReopenKeepsEverythingIncludingLastSeq) {
  uint64_t last = 0;
  {
    std::unique_ptr<Storage> storage = Open(dir_);
    ASSERT_NE(storage, nullptr);
    Populate(*storage);
    const uint64_t s2 = *storage->mailboxes().Append(kBoxB, "1", 10, kNoCap);
    last = *storage->mailboxes().Append(kBoxB, "2", 10, kNoCap);
    const std::vector<uint64_t> both = {s2, last};
    ASSERT_EQ(*storage->mailboxes().Delete(kBoxB, both), 2u);
  }
  std::unique_ptr<Storage> storage = Open(dir_);
  ASSERT_NE(storage, nullptr);
  ExpectPopulated(*storage);
  EXPECT_EQ(*storage->mailboxes().CountQueued(), 1u);
  EXPECT_GT(*storage->mailboxes().Append(kBoxB, "3", 10, kNoCap), last);
}

// Closing the storage finishes every queued async append first: each
// callback runs with its seq and the envelopes are there after reopening.
TEST_F(RocksDbStorageTest, CloseFinishesQueuedAsyncAppends) {
  constexpr int kCount = 500;
  std::atomic<int> ok{0};
  std::atomic<int> calls{0};
  {
    std::unique_ptr<Storage> storage = Open(dir_);
    ASSERT_NE(storage, nullptr);
    for (int i = 0; i < kCount; ++i) {
      storage->mailboxes().AppendAsync(kBoxA, absl::StrCat(i), 10, kNoCap,
                                       [&](absl::StatusOr<uint64_t> seq) {
                                         if (seq.ok()) ++ok;
                                         ++calls;
                                       });
    }
  }
  EXPECT_EQ(calls.load(), kCount);
  EXPECT_EQ(ok.load(), kCount);
  std::unique_ptr<Storage> storage = Open(dir_);
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(*storage->mailboxes().CountQueued(), static_cast<uint64_t>(kCount));
}

// What the relay's retention sweep relies on: once queued envelopes are
// deleted, a Flush() hands their deletions to compaction, and the disk space
// comes back while the relay runs (not only after a restart).
TEST_F(RocksDbStorageTest, FlushAfterDrainGivesTheSpaceBack) {
  std::unique_ptr<Storage> storage = Open(dir_);
  ASSERT_NE(storage, nullptr);
  constexpr int kMailboxes = 100;
  constexpr int kPerMailbox = 300;
  // Incompressible content, as sealed envelopes are.
  std::mt19937_64 rng(7);
  std::string content(1024, '\0');
  std::map<int, std::vector<uint64_t>> seqs;
  for (int i = 0; i < kPerMailbox; ++i) {
    for (int m = 0; m < kMailboxes; ++m) {
      for (char& c : content) c = static_cast<char>(rng());
      auto seq = storage->mailboxes().Append(
          MailboxId{AccountId(m), 1}, content, 10, kNoCap);
      ASSERT_OK(seq);
      seqs[m].push_back(*seq);
    }
  }
  ASSERT_OK(storage->Flush());
  auto full = storage->BytesOnDisk();
  ASSERT_OK(full);
  const uint64_t payload = uint64_t{kMailboxes} * kPerMailbox * 1024;
  EXPECT_GT(*full, payload);

  for (const auto& [m, mailbox_seqs] : seqs) {
    ASSERT_EQ(*storage->mailboxes().Delete(MailboxId{AccountId(m), 1},
                                           mailbox_seqs),
              static_cast<uint32_t>(kPerMailbox));
  }
  ASSERT_OK(storage->Flush());
  uint64_t bytes = *full;
  for (int i = 0; i < 600 && bytes > payload / 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto now = storage->BytesOnDisk();
    ASSERT_OK(now);
    bytes = *now;
  }
  EXPECT_LE(bytes, payload / 10) << "of " << *full << " bytes on disk";
  EXPECT_EQ(*storage->mailboxes().CountQueued(), 0u);
}

TEST_F(RocksDbStorageTest, CheckpointOpensWithTheData) {
  std::unique_ptr<Storage> storage = Open(dir_);
  ASSERT_NE(storage, nullptr);
  Populate(*storage);
  const std::string copy = root_ + "/checkpoint";
  ASSERT_OK(storage->Checkpoint(copy));
  // Later writes do not reach the checkpoint.
  ASSERT_OK(storage->mailboxes().Append(kBoxA, "later", 10, kNoCap));
  std::unique_ptr<Storage> restored = Open(copy);
  ASSERT_NE(restored, nullptr);
  ExpectPopulated(*restored);
}

TEST_F(RocksDbStorageTest, CheckpointIntoExistingDirectoryFails) {
  std::unique_ptr<Storage> storage = Open(dir_);
  ASSERT_NE(storage, nullptr);
  const std::string existing = root_ + "/existing";
  fs::create_directory(existing);
  EXPECT_CODE(storage->Checkpoint(existing), kFailedPrecondition);
}

TEST_F(RocksDbStorageTest, GarbageCurrentFileFailsClearly) {
  { ASSERT_NE(Open(dir_), nullptr); }
  std::ofstream(dir_ + "/CURRENT", std::ios::trunc) << "garbage\n";
  auto opened = OpenRocksDbStorage(dir_);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr(dir_));
  EXPECT_THAT(opened.status().message(), HasSubstr("corrupt"));
}

TEST_F(RocksDbStorageTest, GarbageManifestFailsClearly) {
  {
    std::unique_ptr<Storage> storage = Open(dir_);
    ASSERT_NE(storage, nullptr);
    Populate(*storage);
  }
  int manifests = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
    if (entry.path().filename().string().starts_with("MANIFEST-")) {
      std::ofstream(entry.path(), std::ios::trunc) << std::string(300, '\x5a');
      ++manifests;
    }
  }
  ASSERT_GT(manifests, 0);
  auto opened = OpenRocksDbStorage(dir_);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr(dir_));
  EXPECT_THAT(opened.status().message(), HasSubstr("corrupt"));
}

TEST_F(RocksDbStorageTest, ForeignDatabaseRejected) {
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "k", "v").ok());
  }
  auto opened = OpenRocksDbStorage(dir_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(opened.status().message(),
              HasSubstr("does not hold a Confidant database"));
}

TEST_F(RocksDbStorageTest, RegularFileInsteadOfDirectoryFails) {
  std::ofstream(dir_) << "not a directory";
  auto opened = OpenRocksDbStorage(dir_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(opened.status().message(), HasSubstr(dir_));
  EXPECT_THAT(opened.status().message(), HasSubstr("not a directory"));
}

TEST_F(RocksDbStorageTest, DirectoryThatCannotBeCreatedFails) {
  const std::string file = root_ + "/file";
  std::ofstream(file) << "x";
  const std::string under_file = file + "/sub";
  auto opened = OpenRocksDbStorage(under_file);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(opened.status().message(), HasSubstr(under_file));
}

TEST_F(RocksDbStorageTest, MissingDatabaseWithoutCreateFails) {
  auto opened = OpenRocksDbStorage(dir_, {.create_if_missing = false});
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr(dir_));
  fs::create_directory(dir_);
  opened = OpenRocksDbStorage(dir_, {.create_if_missing = false});
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr("no database"));
}

TEST_F(RocksDbStorageTest, SecondOpenOfSameDirectoryFails) {
  std::unique_ptr<Storage> storage = Open(dir_);
  ASSERT_NE(storage, nullptr);
  auto second = OpenRocksDbStorage(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(), HasSubstr(dir_));
}

}  // namespace
}  // namespace confidant::server
