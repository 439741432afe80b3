// Forgetting in a RocksDB database: after a pass, data that was deleted or
// overwritten is no longer in any of the database's files. Shared by the
// relay's storage and the client's profile; only their .cc files include it.
#ifndef CONFIDANT_BASE_ROCKSDB_FORGET_H_
#define CONFIDANT_BASE_ROCKSDB_FORGET_H_

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
struct DBOptions;
}  // namespace rocksdb

namespace confidant::base {

// Sets the options a forgetting pass relies on: every change to the set of
// files starts a MANIFEST that lists the current files only, and log files
// are deleted, never recycled.
void SetForgettingOptions(rocksdb::DBOptions& options);

// The forgetting pass: flushes every family of `families` (the logs that held
// the writes become obsolete and are deleted), compacts each into a single
// bottommost run without tombstones or overwritten values, then rewrites
// `manifest_family` once more so the live MANIFEST lists only the result.
// Data still referenced by an open snapshot or iterator survives it. Blocks;
// DATA_LOSS on corruption, INTERNAL on other failures.
absl::Status ForgetDeleted(
    rocksdb::DB& db, absl::Span<rocksdb::ColumnFamilyHandle* const> families,
    rocksdb::ColumnFamilyHandle* manifest_family);

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_ROCKSDB_FORGET_H_
