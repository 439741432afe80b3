// The RocksDB side of a profile: options, opening, and reading and writing
// single records and the manifest. Internal to client/profile_*.
#ifndef CONFIDANT_CLIENT_INTERNAL_PROFILE_DATABASE_H_
#define CONFIDANT_CLIENT_INTERNAL_PROFILE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/internal/profile_records.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace confidant::client::internal {

// DATA_LOSS for corruption, UNAVAILABLE for a database locked by another
// process, INTERNAL otherwise; "`what`: <RocksDB's message>".
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what);

// DATA_LOSS("profile was modified outside Confidant: `what`").
absl::Status Modified(std::string_view what);

// Writes synced to disk before they return.
rocksdb::WriteOptions SyncedWrites();

// The database at `path`, created (and required to be new) if `create`.
absl::StatusOr<std::unique_ptr<rocksdb::DB>> OpenDatabase(
    const std::string& path, bool create);

// The value of (`ns`, `key`) in `db` under `keys`, or nullopt; DATA_LOSS if
// it does not authenticate or belongs to another key.
absl::StatusOr<std::optional<std::string>> GetRecord(rocksdb::DB& db,
                                                     const RecordKeys& keys,
                                                     uint8_t ns,
                                                     std::string_view key);

// The manifest of `db`; DATA_LOSS("profile was modified ...") if it is
// missing or does not authenticate.
absl::StatusOr<Manifest> ReadManifest(rocksdb::DB& db, const RecordKeys& keys);

// Adds the record of `manifest` to `write`.
absl::Status PutManifest(const RecordKeys& keys, const Manifest& manifest,
                         rocksdb::WriteBatch& write);

// OK if the records of `db`, all but the manifest, are exactly those the
// manifest counts and digests; DATA_LOSS("profile was modified ...")
// otherwise. Reads the whole database.
absl::Status VerifyManifest(rocksdb::DB& db, const RecordKeys& keys,
                            const Manifest& manifest);

}  // namespace confidant::client::internal

#endif  // CONFIDANT_CLIENT_INTERNAL_PROFILE_DATABASE_H_
