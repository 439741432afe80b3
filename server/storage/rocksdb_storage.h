// Storage on an embedded RocksDB database in one directory.
#ifndef CONFIDANT_SERVER_STORAGE_ROCKSDB_STORAGE_H_
#define CONFIDANT_SERVER_STORAGE_ROCKSDB_STORAGE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/storage/storage.h"

namespace confidant::server {

struct RocksDbStorageOptions {
  // Create the database if the directory holds none.
  bool create_if_missing = true;
  // Envelopes a retention pass deletes per write batch.
  uint64_t expire_batch = 10000;
};

// Opens (or creates) the database in `dir`. A directory that cannot be
// created or written, or that holds a corrupt or foreign database, fails with
// a clear message naming the problem (never a crash).
absl::StatusOr<std::unique_ptr<Storage>> OpenRocksDbStorage(
    const std::string& dir, const RocksDbStorageOptions& options = {});

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_STORAGE_ROCKSDB_STORAGE_H_
