// The RocksDB storage held to storage.h's "What the files hold": Forget()
// and Checkpoint() examined file by file, and group commits in key order.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/wal_filter.h"
#include "rocksdb/write_batch.h"
#include "server/storage/rocksdb_storage.h"
#include "server/storage/storage.h"
#include "tests/testing/disk_examination.h"
#include "tests/testing/test_util.h"

namespace confidant::server {
namespace {

namespace fs = std::filesystem;
using ::confidant::testing::Examination;
using ::confidant::testing::ExaminationInput;
using ::confidant::testing::TempDir;

constexpr uint32_t kHour = 490000;
constexpr uint32_t kNoCap = 1000000;

std::string Id(char c) { return std::string(kAccountIdSize, c); }
std::string Hash(char c) { return std::string(kHashSize, c); }

class RocksDbForgettingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    begin_ = absl::Now();
    absl::StatusOr<std::unique_ptr<Storage>> opened = OpenRocksDbStorage(db_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    storage_ = *std::move(opened);
  }

  std::string Random(size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng_());
    return s;
  }

  // Organisations, an invite used and one expired, keys with a pre-key
  // handed out, envelopes acked, expired and left queued. What must be
  // forgotten goes to forgotten_.
  void Workload() {
    const std::string org = "0123456789abcdef";
    ASSERT_TRUE(storage_->organisations()
                    .Create({org, "Gemeente Voorbeeld", kHour}, Hash('c'))
                    .ok());
    ASSERT_TRUE(
        storage_->accounts().AddInvite(Hash('i'), {{org}, kHour + 5}).ok());
    ASSERT_TRUE(
        storage_->accounts().AddInvite(Hash('j'), {{org}, kHour + 1}).ok());
    AccountRecord tp{Id('t'), v1::ACCOUNT_KIND_TRUST_PERSON, Hash('s'), {}, {},
                     kHour};
    tp.profile.set_display_name("Anna de Vries");
    ASSERT_TRUE(
        storage_->accounts().CreateWithInvite(Hash('i'), kHour, tp).ok());
    ASSERT_TRUE(storage_->accounts()
                    .Create({Id('e'),
                             v1::ACCOUNT_KIND_EMPLOYEE,
                             Hash('f'),
                             {org},
                             {},
                             kHour})
                    .ok());
    KeyUpload upload;
    upload.identity_key = Random(33);
    upload.registration_id = 9;
    upload.signed_pre_key = SignedPreKeyRecord{1, Random(33), Random(64)};
    for (uint32_t id = 1; id <= 3; ++id) {
      upload.one_time_pre_keys.push_back({id, Random(33)});
    }
    ASSERT_TRUE(storage_->keys().Upload(Id('t'), upload, 100).ok());
    absl::StatusOr<PreKeyBundleRecord> bundle =
        storage_->keys().TakeBundle(Id('t'));
    ASSERT_TRUE(bundle.ok() && bundle->one_time_pre_key.has_value());
    forgotten_.push_back(bundle->one_time_pre_key->public_key);
    ASSERT_EQ(*storage_->accounts().DeleteExpiredInvites(kHour + 2), 1u);

    const MailboxId to_tp{Id('t'), 1};
    const MailboxId to_employee{Id('e'), 1};
    std::vector<uint64_t> acked;
    for (int i = 0; i < 10; ++i) {
      std::string content = Random(1024);
      absl::StatusOr<uint64_t> seq =
          storage_->mailboxes().Append(to_tp, content, kHour + 1, kNoCap);
      ASSERT_TRUE(seq.ok());
      if (i % 2 == 0) {
        acked.push_back(*seq);
        forgotten_.push_back(content);
      } else {
        ++queued_;
      }
      content = Random(1024);
      ASSERT_TRUE(storage_->mailboxes()
                      .Append(to_employee, content, kHour, kNoCap)
                      .ok());
      forgotten_.push_back(content);  // expires below
    }
    ASSERT_EQ(*storage_->mailboxes().Delete(to_tp, acked), acked.size());
    ASSERT_EQ(*storage_->mailboxes().ExpireBefore(kHour + 1), 10u);
  }

  Examination Examine(const std::string& dir) {
    ExaminationInput input;
    input.db_dir = dir;
    input.forgotten = forgotten_;
    input.forbidden_text.push_back(fs::absolute(tmp_.path()).string());
    input.begin = begin_;
    input.end = absl::Now();
    return ::confidant::testing::ExamineDatabaseDir(input);
  }

  TempDir tmp_;
  std::string db_ = tmp_.path() + "/db";
  absl::Time begin_;
  std::mt19937_64 rng_{7};
  std::unique_ptr<Storage> storage_;
  std::vector<std::string> forgotten_;
  uint64_t queued_ = 0;
};

TEST_F(RocksDbForgettingTest, ForgetCoversEveryWriteBeforeIt) {
  Workload();
  EXPECT_TRUE(storage_->HasUnforgottenWrites());
  Examination before = Examine(db_);
  EXPECT_FALSE(before.findings.empty());  // the examination sees the writes

  ASSERT_TRUE(storage_->Forget().ok());
  EXPECT_FALSE(storage_->HasUnforgottenWrites());
  Examination after = Examine(db_);
  EXPECT_TRUE(after.findings.empty()) << absl::StrJoin(after.findings, "\n");
  EXPECT_EQ(after.log_bytes, 0u);
  EXPECT_EQ(*storage_->mailboxes().CountQueued(), queued_);

  // Nothing written since: a second pass leaves the files as they are.
  auto tables = [this] {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(db_)) {
      if (entry.path().extension() == ".sst") {
        names.insert(entry.path().filename().string());
      }
    }
    return names;
  };
  const std::set<std::string> forgotten_tables = tables();
  ASSERT_TRUE(storage_->Forget().ok());
  EXPECT_EQ(tables(), forgotten_tables);

  ASSERT_TRUE(
      storage_->mailboxes().Append({Id('t'), 1}, "later", kHour, kNoCap).ok());
  EXPECT_TRUE(storage_->HasUnforgottenWrites());
  ASSERT_TRUE(storage_->Forget().ok());
  EXPECT_NE(tables(), forgotten_tables);
}

TEST_F(RocksDbForgettingTest, ACheckpointIsForgottenFromTheStartAndOpens) {
  Workload();
  const std::string backup = tmp_.path() + "/backup";
  ASSERT_TRUE(storage_->Checkpoint(backup).ok());
  Examination examined = Examine(backup);
  EXPECT_TRUE(examined.findings.empty())
      << absl::StrJoin(examined.findings, "\n");

  storage_.reset();
  absl::StatusOr<std::unique_ptr<Storage>> restored =
      OpenRocksDbStorage(backup, {.create_if_missing = false});
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*(*restored)->mailboxes().CountQueued(), queued_);
  EXPECT_EQ((*restored)->accounts().Get(Id('t'))->profile.display_name(),
            "Anna de Vries");
  EXPECT_EQ(*(*restored)->keys().CountOneTimePreKeys(Id('t')), 2u);
  EXPECT_EQ((*restored)->accounts().Count(kHour)->open_invites, 0u);
}

// Collects, per write-ahead log record, the keys in the order written.
class RecordingWalFilter : public rocksdb::WalFilter {
 public:
  struct Entry {
    uint32_t cf;
    std::string key;
  };
  const char* Name() const override { return "RecordingWalFilter"; }
  WalProcessingOption LogRecord(const rocksdb::WriteBatch& batch,
                                rocksdb::WriteBatch*, bool*) const override {
    struct Handler : rocksdb::WriteBatch::Handler {
      std::vector<Entry> entries;
      rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                            const rocksdb::Slice&) override {
        entries.push_back({cf, key.ToString()});
        return rocksdb::Status::OK();
      }
      rocksdb::Status DeleteCF(uint32_t cf,
                               const rocksdb::Slice& key) override {
        entries.push_back({cf, key.ToString()});
        return rocksdb::Status::OK();
      }
    } handler;
    (void)batch.Iterate(&handler);
    records.push_back(std::move(handler.entries));
    return WalProcessingOption::kContinueProcessing;
  }
  mutable std::vector<std::vector<Entry>> records;
};

// Within a group commit, arrival order does not reach the log.
TEST_F(RocksDbForgettingTest, GroupCommitsAreWrittenInKeyOrder) {
  ASSERT_TRUE(storage_->Forget().ok());  // an empty log to begin with
  constexpr int kCount = 400;
  std::atomic<int> done{0};
  for (int i = 0; i < kCount; ++i) {
    // Mailboxes in descending order, so arrival order is not key order.
    const MailboxId to{Id(static_cast<char>('z' - i % 40)), 1};
    storage_->mailboxes().AppendAsync(to, Random(64), kHour, kNoCap,
                                      [&](absl::StatusOr<uint64_t> seq) {
                                        EXPECT_TRUE(seq.ok());
                                        ++done;
                                      });
  }
  storage_.reset();  // finishes the queue; the log stays (no flush)
  ASSERT_EQ(done.load(), kCount);

  std::vector<std::string> names;
  ASSERT_TRUE(
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  RecordingWalFilter filter;
  rocksdb::DBOptions options;
  options.wal_filter = &filter;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::Open(options, db_, descriptors, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (rocksdb::ColumnFamilyHandle* h : handles)
    db->DestroyColumnFamilyHandle(h);

  size_t largest = 0;
  for (const auto& record : filter.records) {
    largest = std::max(largest, record.size());
    for (size_t i = 1; i < record.size(); ++i) {
      const auto& a = record[i - 1];
      const auto& b = record[i];
      EXPECT_TRUE(a.cf < b.cf || (a.cf == b.cf && a.key < b.key))
          << "entry " << i << " of a log record is out of key order";
    }
  }
  // Three writes per append (envelope, expiry, counter): groups happened.
  EXPECT_GT(largest, 3u) << filter.records.size() << " log records";
}

}  // namespace
}  // namespace confidant::server
