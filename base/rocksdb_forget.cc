#include "base/rocksdb_forget.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace confidant::base {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat("forgetting: ", std::string(what),
                                           " failed: ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

}  // namespace

void SetForgettingOptions(rocksdb::DBOptions& options) {
  // A MANIFEST grows with every flush and compaction and keeps the key ranges
  // and sequence numbers of files long gone; a new one at every change holds
  // the current set only.
  options.max_manifest_file_size = 1;
  // Log files are deleted, never recycled or archived (WAL_ttl_seconds and
  // WAL_size_limit_MB stay 0).
  options.recycle_log_file_num = 0;
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
}

absl::Status ForgetDeleted(
    rocksdb::DB& db, absl::Span<rocksdb::ColumnFamilyHandle* const> families,
    rocksdb::ColumnFamilyHandle* manifest_family) {
  // 1. Everything written so far goes from the memtables into tables; the
  //    log files that held it become obsolete and are deleted.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  const std::vector<rocksdb::ColumnFamilyHandle*> handles(families.begin(),
                                                          families.end());
  if (absl::Status s = FromRocks(db.Flush(flush, handles), "flush"); !s.ok()) {
    return s;
  }
  // 2. Each family becomes one sorted run at its bottommost level. A
  //    compaction into the bottommost level, with no snapshot held, drops
  //    every tombstone and overwritten value and sets sequence numbers to 0.
  //    kForceOptimized rewrites the files that were already at the bottom as
  //    well, but not twice the ones this call just wrote.
  rocksdb::CompactRangeOptions compact;
  compact.exclusive_manual_compaction = false;
  compact.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForceOptimized;
  for (rocksdb::ColumnFamilyHandle* h : families) {
    if (absl::Status s = FromRocks(
            db.CompactRange(compact, h, nullptr, nullptr), "compaction");
        !s.ok()) {
      return s;
    }
  }
  // 3. A MANIFEST begun at a change lists the files as they were before it.
  //    One more change (rewriting `manifest_family`, best a small one)
  //    starts one that lists only what step 2 wrote.
  compact.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForce;
  return FromRocks(db.CompactRange(compact, manifest_family, nullptr, nullptr),
                   "compaction");
}

}  // namespace confidant::base
