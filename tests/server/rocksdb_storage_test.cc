// What only the RocksDB storage (server/storage/rocksdb_storage.h) does beyond
// the contract: retention passes over several write batches, reopening,
// closing with appends queued, giving disk space back, checkpoints, and
// refusing bad or foreign directories with a clear message.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/server/storage_contract_fixture.h"

namespace confidant::server::storage_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

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
      auto seq = storage->mailboxes().Append(MailboxId{AccountId(m), 1},
                                             content, 10, kNoCap);
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
    ASSERT_EQ(
        *storage->mailboxes().Delete(MailboxId{AccountId(m), 1}, mailbox_seqs),
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
}  // namespace confidant::server::storage_testing
