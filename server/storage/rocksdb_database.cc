#include "server/storage/rocksdb_database.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/rocksdb_forget.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/system_clock.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/table_properties_collectors.h"
#include "server/log.h"

namespace confidant::server::rocks {
namespace {

namespace fs = std::filesystem;

// What a forgetting pass or a copy writes per batch into the copy.
constexpr size_t kCopyBatchBytes = 1 << 20;

// RocksDB stamps the wall-clock time it reads with GetCurrentTime() into
// table properties (creation, oldest key and file creation time) and into
// the MANIFEST. This clock gives it the start of the hour, the only time the
// relay stores. Durations (NowMicros, NowNanos) stay exact: RocksDB times its
// own work with them and writes none of them to a file.
class HourClock : public rocksdb::SystemClockWrapper {
 public:
  explicit HourClock(const std::shared_ptr<rocksdb::SystemClock>& base)
      : rocksdb::SystemClockWrapper(base) {}
  const char* Name() const override { return "ConfidantHourClock"; }
  rocksdb::Status GetCurrentTime(int64_t* unix_time) override {
    int64_t now = 0;
    rocksdb::Status s = target_->GetCurrentTime(&now);
    if (s.ok()) *unix_time = now - now % 3600;
    return s;
  }
};

// The default environment with HourClock as its clock.
class HourClockEnv : public rocksdb::EnvWrapper {
 public:
  HourClockEnv() : rocksdb::EnvWrapper(rocksdb::Env::Default()) {
    system_clock_ =
        std::make_shared<HourClock>(rocksdb::Env::Default()->GetSystemClock());
  }
  const char* Name() const override { return "ConfidantHourClockEnv"; }
  rocksdb::Status GetCurrentTime(int64_t* unix_time) override {
    return system_clock_->GetCurrentTime(unix_time);
  }
};

// RocksDB's info log would be a file in the database directory holding
// microsecond timestamps of every flush and compaction, the directory's path
// and the host name. Instead, warnings and errors go to the relay's log (with
// addresses scrubbed, like gRPC's), and the rest is dropped.
class RelayLogger : public rocksdb::Logger {
 public:
  RelayLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {}  // header lines
  void Logv(const rocksdb::InfoLogLevel level, const char* format,
            va_list ap) override {
    if (level < rocksdb::InfoLogLevel::WARN_LEVEL) return;
    char buffer[512];
    const int n = std::vsnprintf(buffer, sizeof(buffer), format, ap);
    if (n < 0) return;
    Log(level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? LogLevel::kError
                                                    : LogLevel::kWarning,
        absl::StrCat("storage engine: ", ScrubAddresses(buffer)));
  }
};

rocksdb::DBOptions MakeDbOptions(rocksdb::Env* env) {
  rocksdb::DBOptions options;
  options.env = env;
  options.info_log = std::make_shared<RelayLogger>();
  options.stats_dump_period_sec = 0;  // to the info log only
  // Table properties carry the host name unless told otherwise.
  options.db_host_id = "";
  // Every change to the set of files starts a new MANIFEST holding the
  // current set only, so the history of flushes and compactions (with the
  // key ranges and sequence numbers of files long gone) is not kept; log
  // files are deleted, never recycled or archived.
  base::SetForgettingOptions(options);
  options.max_open_files = 256;
  options.max_background_jobs = 2;
  options.db_write_buffer_size = 64 << 20;  // across all column families
  // A log file is deleted only once every column family with data in it has
  // flushed; rarely written ones (accounts, keys) would keep gigabytes of log
  // alive behind the envelope traffic. Past this size the oldest are flushed.
  options.max_total_wal_size = 64 << 20;
  options.paranoid_checks = true;
  return options;
}

rocksdb::ColumnFamilyOptions MakeCfOptions(
    const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = block_cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.write_buffer_size = 8 << 20;
  // Nearly everything stored is ciphertext, keys, hashes or random ids:
  // compressing it spends CPU on every flush and compaction for nothing.
  options.compression = rocksdb::kNoCompression;
  // Queued envelopes are written once and deleted once. Files where deletions
  // dominate are compacted early, so acked envelopes give their disk space
  // back without waiting for new writes to push compactions along.
  options.table_properties_collector_factories.push_back(
      rocksdb::NewCompactOnDeletionCollectorFactory(
          /*sliding_window_size=*/1024, /*deletion_trigger=*/512,
          /*deletion_ratio=*/0.5));
  // Level targets follow the data size: at most about 10% space overhead.
  options.level_compaction_dynamic_level_bytes = true;
  return options;
}

// Info logs that earlier versions of the relay let RocksDB write.
void RemoveOldInfoLogs(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "LOG" || absl::StartsWith(name, "LOG.old.")) {
      std::error_code remove_ec;
      fs::remove(it->path(), remove_ec);
    }
  }
}

}  // namespace

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  if (s.IsCorruption()) {
    return absl::DataLossError(absl::StrCat(what, ": ", s.ToString()));
  }
  return absl::InternalError(absl::StrCat(what, ": ", s.ToString()));
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& dir,
                                                         bool create) {
  RemoveOldInfoLogs(dir);
  auto env = std::make_unique<HourClockEnv>();
  rocksdb::DBOptions db_options = MakeDbOptions(env.get());
  db_options.create_if_missing = create;
  db_options.create_missing_column_families = create;
  const std::shared_ptr<rocksdb::Cache> block_cache =
      rocksdb::NewLRUCache(32 << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (std::string_view name : kCfNames) {
    descriptors.emplace_back(std::string(name), MakeCfOptions(block_cache));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open the database in ", dir, ": ", s.ToString(),
                     absl::StrContains(s.ToString(), "LOCK")
                         ? " (is another process using it?)"
                         : ""));
  }
  return std::unique_ptr<Database>(new Database(
      std::move(env), std::unique_ptr<rocksdb::DB>(raw), std::move(handles)));
}

Database::Database(std::unique_ptr<rocksdb::Env> env,
                   std::unique_ptr<rocksdb::DB> db,
                   std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : env_(std::move(env)), db_(std::move(db)), handles_(std::move(handles)) {}

Database::~Database() {
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    db_->DestroyColumnFamilyHandle(h);
  }
  db_->Close();
  db_.reset();
}

absl::StatusOr<std::optional<std::string>> Database::Lookup(
    Cf c, std::string_view key) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf(c), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "storage read failed");
  return std::optional<std::string>(std::move(value));
}

std::unique_ptr<rocksdb::Iterator> Database::NewIterator(
    Cf c, const rocksdb::ReadOptions& options) {
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(options, cf(c)));
}

absl::Status Database::WriteSynced(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocks(db_->Write(options, batch), "storage write failed");
}

bool Database::HasUnforgottenWrites() {
  return forgotten_seq_.load() != db_->GetLatestSequenceNumber();
}

absl::Status Database::Forget() {
  absl::MutexLock lock(&forget_mu_);
  return ForgetLocked();
}

absl::Status Database::ForgetLocked() {
  const rocksdb::SequenceNumber start = db_->GetLatestSequenceNumber();
  // Nothing written since the last pass began: the files already keep the
  // promise, and rewriting them (1.3 GiB with a million envelopes) would
  // only cost time, for example at shutdown.
  if (forgotten_seq_.load() == start) return absl::OkStatus();
  // Flush, compact every family to its bottommost level, then rewrite the
  // default family's single small table so the MANIFEST lists only that.
  if (absl::Status s = base::ForgetDeleted(*db_, handles_, cf(kDefault));
      !s.ok()) {
    return s;
  }
  forgotten_seq_.store(start);
  return absl::OkStatus();
}

absl::Status Database::CopyTo(const std::string& target_dir) {
  absl::MutexLock lock(&forget_mu_);
  if (::mkdir(target_dir.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", target_dir, ": ", std::strerror(errno)));
  }
  auto fail = [&target_dir](absl::Status status) {
    std::error_code ec;
    fs::remove_all(target_dir, ec);
    return status;
  };
  absl::StatusOr<std::unique_ptr<Database>> copy = Open(target_dir, true);
  if (!copy.ok()) return fail(copy.status());

  // Forget() serialises with this copy, so the snapshot holds back no pass.
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  read.fill_cache = false;
  rocksdb::WriteOptions write;
  write.disableWAL = true;  // the pass below writes the tables
  absl::Status copied = absl::OkStatus();
  for (size_t c = 0; c < kCfCount && copied.ok(); ++c) {
    std::unique_ptr<rocksdb::Iterator> it = NewIterator(Cf(c), read);
    rocksdb::WriteBatch batch;
    for (it->SeekToFirst(); it->Valid() && copied.ok(); it->Next()) {
      copied = FromRocks(batch.Put((*copy)->cf(Cf(c)), it->key(), it->value()),
                         "backup: batch failed");
      if (copied.ok() && batch.GetDataSize() >= kCopyBatchBytes) {
        copied = FromRocks((*copy)->db()->Write(write, &batch),
                           "backup: write failed");
        batch.Clear();
      }
    }
    if (copied.ok() && !it->status().ok()) {
      copied = FromRocks(it->status(), "backup: read failed");
    }
    if (copied.ok() && batch.Count() > 0) {
      copied = FromRocks((*copy)->db()->Write(write, &batch),
                         "backup: write failed");
    }
  }
  db_->ReleaseSnapshot(snapshot);
  if (!copied.ok()) return fail(copied);
  if (absl::Status s = (*copy)->Forget(); !s.ok()) return fail(s);
  copy->reset();  // closes it
  return absl::OkStatus();
}

}  // namespace confidant::server::rocks
