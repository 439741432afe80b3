// Examines a copy of a relay database directory the way an operator with
// full disk access would: every file as bytes, and the database with
// RocksDB's own readers. Used to hold the storage to its promise
// (server/storage/storage.h, "What the files hold").
#ifndef CONFIDANT_TESTS_TESTING_DISK_EXAMINATION_H_
#define CONFIDANT_TESTS_TESTING_DISK_EXAMINATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace confidant::testing {

struct ExaminationInput {
  std::string db_dir;  // a database directory (DATA_DIR/db or a backup)
  // Byte strings that must be in no file: contents of acknowledged and
  // expired envelopes, handed-out one-time pre-keys.
  std::vector<std::string> forgotten;
  // Strings that must be in no file (paths, the host name).
  std::vector<std::string> forbidden_text;
  // Any whole second, millisecond or microsecond of this interval that is
  // not the start of an hour must be in no file, in any integer encoding
  // RocksDB uses (fixed 32/64 little and big endian, varint) or as text.
  absl::Time begin;
  absl::Time end;
};

struct Examination {
  // One line per finding, naming the file and what was found; empty when
  // the directory keeps the promise.
  std::vector<std::string> findings;
  // What RocksDB's readers saw, to check against the workload.
  uint64_t live_records = 0;  // values, across all column families
  uint64_t tables = 0;        // SST files
  uint64_t log_bytes = 0;     // in write-ahead log files
};

// Copies `db_dir` (RocksDB may delete files meanwhile) and examines the copy.
Examination ExamineDatabaseDir(const ExaminationInput& input);

}  // namespace confidant::testing

#endif  // CONFIDANT_TESTS_TESTING_DISK_EXAMINATION_H_
