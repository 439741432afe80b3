// The profile against someone who holds its files but not its passphrase:
// records deleted, put back or edited offline (with RocksDB's own `ldb` and
// with its C++ API), sizes read off the disk, an old header kept after a
// passphrase change, deleted key material looked for in the files; and the
// passphrase change interrupted at each step.
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/profile_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/client/profile_test_util.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::kFastParams;
using testing::kOtherPassphrase;
using testing::kPassphrase;
using testing::OpenRaw;
using testing::RawDatabaseDir;
using testing::RawRecords;
using testing::ReadFile;
using testing::WriteFile;

constexpr char kModified[] = "profile was modified outside Confidant";

class ProfileAtRestTest : public ::testing::Test {
 protected:
  std::string ProfileDir() const { return tmp_.path() + "/profile"; }
  std::string HeaderPath() const {
    return absl::StrCat(ProfileDir(), "/", kProfileHeaderFile);
  }

  std::unique_ptr<ProfileStore> Create() {
    auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  std::unique_ptr<ProfileStore> Open(
      std::string_view passphrase = kPassphrase) {
    auto store = ProfileStore::Open(ProfileDir(), passphrase);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  // A profile with two trusted peers, a session and a message.
  void CreateTypicalProfile() {
    std::unique_ptr<ProfileStore> store = Create();
    ASSERT_NE(store, nullptr);
    ProfileStore::Batch batch;
    batch.Put(Namespace::kPeerIdentity, "trust-person-1.1", "identity key 1");
    batch.Put(Namespace::kPeerIdentity, "trust-person-2.1", "identity key 2");
    batch.Put(Namespace::kSession, "trust-person-1.1", "session state 1");
    batch.Put(Namespace::kMessage, "case-1/0", "the first message");
    ASSERT_TRUE(store->Write(batch).ok());
  }
  void ExpectModified() {
    auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
    EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(store.status().message(), HasSubstr(kModified));
  }

  confidant::testing::TempDir tmp_;
};

// `ldb` from rocksdb-tools, as an attacker with the files would use it.
confidant::testing::CommandResult Ldb(const std::string& db,
                                      std::vector<std::string> args) {
  std::vector<std::string> argv = {CONFIDANT_ROCKSDB_LDB,
                                   absl::StrCat("--db=", db), "--hex",
                                   "--try_load_options=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  return confidant::testing::RunCommand(argv);
}

TEST_F(ProfileAtRestTest, TrustedIdentityDeletedWithLdbIsCaught) {
  if (std::string(CONFIDANT_ROCKSDB_LDB).empty()) {
    GTEST_SKIP() << "ldb (Debian rocksdb-tools) was not found at configure";
  }
  CreateTypicalProfile();
  const std::string db = RawDatabaseDir(ProfileDir());
  // The namespace byte is in clear: the kPeerIdentity records are the keys
  // beginning with 0x08. Delete one, so that trust on first use would
  // accept any key for that peer.
  confidant::testing::CommandResult scan = Ldb(db, {"scan"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  std::string victim;
  for (absl::string_view line : absl::StrSplit(scan.out, '\n')) {
    if (absl::StartsWith(line, "0x08")) {
      victim = std::string(line.substr(0, line.find(' ')));
      break;
    }
  }
  ASSERT_FALSE(victim.empty()) << scan.out;
  confidant::testing::CommandResult deleted = Ldb(db, {"delete", victim});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  ASSERT_EQ(RawRecords(ProfileDir(), Namespace::kPeerIdentity).size(), 1u);

  ExpectModified();
  auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_THAT(store.status().message(), HasSubstr("lists 5 records"));
  EXPECT_THAT(store.status().message(), HasSubstr("holds 4"));
}

TEST_F(ProfileAtRestTest, TrustedIdentityDeletedWithRocksDbApiIsCaught) {
  CreateTypicalProfile();
  auto peers = RawRecords(ProfileDir(), Namespace::kPeerIdentity);
  ASSERT_EQ(peers.size(), 2u);
  {
    std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
    ASSERT_TRUE(db->Delete({}, peers[0].first).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  ExpectModified();
}

TEST_F(ProfileAtRestTest, OldSessionRecordPutBackIsCaught) {
  CreateTypicalProfile();
  auto old_sessions = RawRecords(ProfileDir(), Namespace::kSession);
  ASSERT_EQ(old_sessions.size(), 1u);
  {
    std::unique_ptr<ProfileStore> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Put(Namespace::kSession, "trust-person-1.1",
                          "session state 2 (ratchet advanced)")
                    .ok());
  }
  {
    std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
    ASSERT_TRUE(
        db->Put({}, old_sessions[0].first, old_sessions[0].second).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  ExpectModified();
  auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_THAT(store.status().message(), HasSubstr("put back"));
}

TEST_F(ProfileAtRestTest, DeletedRecordPutBackIsCaught) {
  {
    std::unique_ptr<ProfileStore> store = Create();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kPreKey, "17", "one-time pre-key").ok());
  }
  auto pre_keys = RawRecords(ProfileDir(), Namespace::kPreKey);
  ASSERT_EQ(pre_keys.size(), 1u);
  {
    std::unique_ptr<ProfileStore> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Delete(Namespace::kPreKey, "17").ok());
  }
  {
    std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
    ASSERT_TRUE(db->Put({}, pre_keys[0].first, pre_keys[0].second).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  ExpectModified();
}

TEST_F(ProfileAtRestTest, ManifestDeletedOrReplacedIsCaught) {
  CreateTypicalProfile();
  auto manifest = RawRecords(ProfileDir(), static_cast<Namespace>(128));
  ASSERT_EQ(manifest.size(), 1u);
  {
    std::unique_ptr<ProfileStore> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kMessage, "case-1/1", "more").ok());
  }
  {
    // An old manifest with the new records.
    std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
    ASSERT_TRUE(db->Put({}, manifest[0].first, manifest[0].second).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  ExpectModified();
  {
    std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
    ASSERT_TRUE(db->Delete({}, manifest[0].first).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  ExpectModified();
  auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_THAT(store.status().message(), HasSubstr("manifest is missing"));
}

TEST_F(ProfileAtRestTest, ForeignRecordAddedIsCaught) {
  CreateTypicalProfile();
  {
    // Even in the store's own namespace, beside the manifest.
    std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
    ASSERT_TRUE(db->Put({}, std::string(1, '\x80') + "x", "y").ok());
    ASSERT_TRUE(db->Close().ok());
  }
  ExpectModified();
}

// Documented in docs/profile.md: restoring a whole earlier copy of the
// database (with its own manifest) is not detected.
TEST_F(ProfileAtRestTest, WholeDatabaseRollbackStillOpens) {
  CreateTypicalProfile();
  const std::string db = RawDatabaseDir(ProfileDir());
  fs::copy(db, tmp_.path() + "/copy", fs::copy_options::recursive);
  {
    std::unique_ptr<ProfileStore> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        store->Delete(Namespace::kPeerIdentity, "trust-person-1.1").ok());
  }
  fs::remove_all(db);
  fs::rename(tmp_.path() + "/copy", db);
  std::unique_ptr<ProfileStore> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(
      (*store->Get(Namespace::kPeerIdentity, "trust-person-1.1")).has_value());
}

TEST_F(ProfileAtRestTest, StoredValuesFallIntoPowerOfTwoBuckets) {
  std::map<size_t, std::string> values;  // size -> logical key
  {
    std::unique_ptr<ProfileStore> store = Create();
    ASSERT_NE(store, nullptr);
    for (size_t size :
         {0, 1, 20, 30, 40, 50, 90, 100, 200, 1000, 1500, 4000, 70000}) {
      const std::string key = absl::StrCat("message-", size);
      values[size] = key;
      ASSERT_TRUE(
          store->Put(Namespace::kMessage, key, std::string(size, 'x')).ok());
    }
  }
  std::set<size_t> sizes;
  std::unique_ptr<rocksdb::DB> db = OpenRaw(ProfileDir());
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const size_t size = it->value().size();
    EXPECT_GE(size, 64u);
    EXPECT_EQ(size & (size - 1), 0u) << size << " is not a power of two";
    if (it->key()[0] == static_cast<char>(Namespace::kMessage)) {
      sizes.insert(size);
    }
  }
  // 13 values of 0 to 70,000 bytes show as 6 sizes.
  EXPECT_EQ(sizes, (std::set<size_t>{64, 128, 256, 2048, 4096, 131072}));
}

TEST_F(ProfileAtRestTest, OldHeaderAndPassphraseDoNotOpenLaterData) {
  CreateTypicalProfile();
  const std::string old_header = ReadFile(HeaderPath());
  const std::string old_db = RawDatabaseDir(ProfileDir());
  // The thief also keeps a copy of the old database.
  fs::copy(old_db, tmp_.path() + "/old-db", fs::copy_options::recursive);
  {
    std::unique_ptr<ProfileStore> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->ChangePassphrase(kPassphrase, kOtherPassphrase).ok());
    ASSERT_TRUE(
        store->Put(Namespace::kMessage, "case-1/1", "written later").ok());
  }
  const std::string new_db = RawDatabaseDir(ProfileDir());
  EXPECT_NE(new_db, old_db);
  EXPECT_FALSE(fs::exists(old_db));

  // The old header names a generation that is gone.
  WriteFile(HeaderPath(), old_header);
  auto missing = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  // The new database under the old header's name: the old master key does
  // not open it.
  fs::rename(new_db, old_db);
  auto foreign = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(foreign.status().message(), HasSubstr("does not belong"));
  // The old copy opens, but holds only what was there before the change.
  fs::rename(old_db, new_db);
  fs::rename(tmp_.path() + "/old-db", old_db);
  {
    std::unique_ptr<ProfileStore> store = Open(kPassphrase);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*store->Get(Namespace::kMessage, "case-1/1"), std::nullopt);
    EXPECT_TRUE((*store->Get(Namespace::kMessage, "case-1/0")).has_value());
  }
}

TEST_F(ProfileAtRestTest, ChangePassphraseCanRaiseTheArgon2Cost) {
  CreateTypicalProfile();
  std::unique_ptr<ProfileStore> store = Open();
  ASSERT_NE(store, nullptr);
  const crypto::Argon2Params raised = {2, 16 * 1024, 2};
  ASSERT_TRUE(
      store->ChangePassphrase(kPassphrase, kOtherPassphrase, raised).ok());
  store.reset();
  // t_cost, m_cost and parallelism follow magic and version, little-endian.
  const std::string header = ReadFile(HeaderPath());
  ASSERT_GT(header.size(), 21u);
  EXPECT_EQ(
      header.substr(9, 12),
      std::string("\x02\x00\x00\x00\x00\x40\x00\x00\x02\x00\x00\x00", 12));
  store = Open(kOtherPassphrase);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->Get(Namespace::kMessage, "case-1/0"),
            std::optional<std::string>("the first message"));
}

class RotationCrashTest
    : public ProfileAtRestTest,
      public ::testing::WithParamInterface<ProfileStore::RotationPoint> {};

TEST_P(RotationCrashTest, LeavesOneOpenableProfile) {
  CreateTypicalProfile();
  const std::string old_db = RawDatabaseDir(ProfileDir());
  {
    std::unique_ptr<ProfileStore> store = Open();
    ASSERT_NE(store, nullptr);
    store->SetRotationCrashForTesting(
        [](ProfileStore::RotationPoint point) { return point == GetParam(); });
    absl::Status status =
        store->ChangePassphrase(kPassphrase, kOtherPassphrase);
    ASSERT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  }
  // A header write cut short as well.
  WriteFile(HeaderPath() + ".tmp", "half a header");
  EXPECT_EQ(std::distance(fs::directory_iterator(ProfileDir() + "/db"),
                          fs::directory_iterator{}),
            2);

  const bool switched =
      GetParam() == ProfileStore::RotationPoint::kHeaderReplaced;
  const char* good = switched ? kOtherPassphrase : kPassphrase;
  const char* bad = switched ? kPassphrase : kOtherPassphrase;
  EXPECT_EQ(ProfileStore::Open(ProfileDir(), bad).status().code(),
            absl::StatusCode::kPermissionDenied);
  {
    std::unique_ptr<ProfileStore> store = Open(good);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*store->Get(Namespace::kPeerIdentity, "trust-person-2.1"),
              std::optional<std::string>("identity key 2"));
    EXPECT_EQ(store->Scan(Namespace::kPeerIdentity)->size(), 2u);
    ASSERT_TRUE(store->Put(Namespace::kMessage, "case-1/1", "after").ok());
  }
  // The leftovers are gone: one generation, no temporary header.
  EXPECT_EQ(std::distance(fs::directory_iterator(ProfileDir() + "/db"),
                          fs::directory_iterator{}),
            1);
  EXPECT_FALSE(fs::exists(HeaderPath() + ".tmp"));
  EXPECT_EQ(RawDatabaseDir(ProfileDir()) == old_db, !switched);
  // And a later change works from there.
  std::unique_ptr<ProfileStore> store = Open(good);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->ChangePassphrase(good, "a third unrelated phrase here").ok());
}

INSTANTIATE_TEST_SUITE_P(
    Points, RotationCrashTest,
    ::testing::Values(ProfileStore::RotationPoint::kNewDatabaseWritten,
                      ProfileStore::RotationPoint::kHeaderReplaced));

// Whether `needle` occurs in any file under `dir`.
bool FoundInFiles(const std::string& dir, const std::string& needle) {
  for (const auto& [path, bytes] : testing::Snapshot(dir)) {
    if (bytes.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST_F(ProfileAtRestTest, DeletedKeyMaterialIsCompactedAway) {
  {
    std::unique_ptr<ProfileStore> store = Create();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kPreKey, "17", "one-time pre-key").ok());
    ASSERT_TRUE(store->Put(Namespace::kSignedPreKey, "3", "signed").ok());
    ASSERT_TRUE(store->Put(Namespace::kSession, "peer.1", "state 1").ok());
  }
  auto pre_key = RawRecords(ProfileDir(), Namespace::kPreKey).at(0);
  auto signed_pre_key =
      RawRecords(ProfileDir(), Namespace::kSignedPreKey).at(0);
  auto session = RawRecords(ProfileDir(), Namespace::kSession).at(0);
  const std::string db = RawDatabaseDir(ProfileDir());
  ASSERT_TRUE(FoundInFiles(db, pre_key.second));
  ASSERT_TRUE(FoundInFiles(db, session.second));

  std::unique_ptr<ProfileStore> store = Open();
  ASSERT_NE(store, nullptr);
  // A used one-time pre-key and a retired signed pre-key: gone from the
  // files as soon as the write returns.
  ProfileStore::Batch batch;
  batch.Delete(Namespace::kPreKey, "17");
  batch.Put(Namespace::kSignedPreKey, "3", "replaced");
  ASSERT_TRUE(store->Write(batch).ok());
  EXPECT_FALSE(FoundInFiles(db, pre_key.first));
  EXPECT_FALSE(FoundInFiles(db, pre_key.second));
  EXPECT_FALSE(FoundInFiles(db, signed_pre_key.second));
  // An old session state goes at the latest when the profile closes.
  ASSERT_TRUE(store->Put(Namespace::kSession, "peer.1", "state 2").ok());
  store.reset();
  EXPECT_FALSE(FoundInFiles(db, session.second));
  store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->Get(Namespace::kSession, "peer.1"),
            std::optional<std::string>("state 2"));
}

// A purged case: its file is deleted in the batch that deletes its
// messages, and all of it is gone from the files when the write returns.
TEST_F(ProfileAtRestTest, APurgedCaseIsCompactedAwayAtOnce) {
  {
    std::unique_ptr<ProfileStore> store = Create();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kCaseFile, "case", "private notes").ok());
    ASSERT_TRUE(store->Put(Namespace::kMessage, "case.1", "a complaint").ok());
    ASSERT_TRUE(store->Put(Namespace::kCaseFile, "other", "other notes").ok());
  }
  auto message = RawRecords(ProfileDir(), Namespace::kMessage).at(0);
  const std::string db = RawDatabaseDir(ProfileDir());
  ASSERT_TRUE(FoundInFiles(db, message.second));
  std::unique_ptr<ProfileStore> store = Open();
  ASSERT_NE(store, nullptr);
  // Updating a case file waits for the usual pass; deleting one does not.
  ASSERT_TRUE(store->Put(Namespace::kCaseFile, "other", "more notes").ok());
  ProfileStore::Batch batch;
  batch.Delete(Namespace::kMessage, "case.1");
  batch.Delete(Namespace::kCaseFile, "case");
  ASSERT_TRUE(store->Write(batch).ok());
  EXPECT_FALSE(FoundInFiles(db, message.first));
  EXPECT_FALSE(FoundInFiles(db, message.second));
  EXPECT_EQ(*store->Get(Namespace::kCaseFile, "other"),
            std::optional<std::string>("more notes"));
}

}  // namespace
}  // namespace confidant::client
