// What the storage tests share (storage_contract_test.cc,
// storage_contract_mailbox_test.cc, rocksdb_storage_test.cc): status
// assertions, records to store, a temporary directory, and the contract
// fixture that runs each test against the in-memory storage and RocksDB alike.
#ifndef CONFIDANT_TESTS_SERVER_STORAGE_CONTRACT_FIXTURE_H_
#define CONFIDANT_TESTS_SERVER_STORAGE_CONTRACT_FIXTURE_H_

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/codes.h"
#include "server/storage/memory_storage.h"
#include "server/storage/rocksdb_storage.h"
#include "server/storage/storage.h"

namespace confidant::server::storage_testing {

namespace fs = std::filesystem;

inline absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
inline absl::Status StatusOf(const absl::StatusOr<T>& s) {
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

inline std::string AccountId(int n) {
  std::string id(kAccountIdSize, '\0');
  id[0] = 'a';
  id[14] = static_cast<char>(n >> 8);
  id[15] = static_cast<char>(n & 0xff);
  return id;
}
inline std::string OrgId(int n) { return absl::StrFormat("%016x", n); }
inline std::string Hash(std::string_view label) {
  return DomainHash("test", label);
}

inline OrganisationRecord Org(int n, std::string name) {
  return OrganisationRecord{OrgId(n), std::move(name), 1000u + n};
}

inline AccountRecord Account(int n, v1::AccountKind kind,
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

inline std::string Key33(char fill) {
  std::string k(33, fill);
  k[0] = 0x05;
  return k;
}

inline KeyUpload FirstUpload(char identity,
                             std::vector<uint32_t> one_time_ids) {
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

inline std::vector<uint64_t> Seqs(
    const std::vector<StoredEnvelope>& envelopes) {
  std::vector<uint64_t> out;
  for (const StoredEnvelope& e : envelopes) out.push_back(e.seq);
  return out;
}

inline std::string MakeTempDir() {
  std::string tmpl =
      (fs::path(::testing::TempDir()) / "confidant_storage_XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  return made == nullptr ? std::string() : std::string(made);
}

enum class Backend { kMemory, kRocksDb };
inline void PrintTo(Backend backend, std::ostream* os) {
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

// Mailboxes of two accounts (the first with two devices), and a cap that
// no test reaches.
const MailboxId kBoxA{AccountId(1), 1};
const MailboxId kBoxA2{AccountId(1), 2};
const MailboxId kBoxB{AccountId(2), 1};
constexpr uint32_t kNoCap = 1'000'000;

}  // namespace confidant::server::storage_testing

#endif  // CONFIDANT_TESTS_SERVER_STORAGE_CONTRACT_FIXTURE_H_
