#include "client/internal/profile_database.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/rocksdb_forget.h"
#include "crypto/secret.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"

namespace confidant::client::internal {

using crypto::WipeString;

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message =
      absl::StrCat(std::string(what), ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  // Said in these words so that a client can tell the user (nothing that
  // failed was written: each write is one atomic batch).
  if (s.IsNoSpace()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the disk is full: ", message));
  }
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::Status Modified(std::string_view what) {
  return absl::DataLossError(absl::StrCat(
      "profile was modified outside Confidant: ", std::string(what)));
}

rocksdb::WriteOptions SyncedWrites() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

absl::StatusOr<std::unique_ptr<rocksdb::DB>> OpenDatabase(
    const std::string& path, bool create) {
  rocksdb::Options options;
  options.create_if_missing = create;
  options.error_if_exists = create;
  options.paranoid_checks = true;
  options.keep_log_file_num = 2;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  // Keys and values are ciphertext: compressing them gains nothing.
  options.compression = rocksdb::kNoCompression;
  base::SetForgettingOptions(options);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, path, &raw);
  if (!s.ok()) return FromRocks(s, "cannot open the profile database");
  return std::unique_ptr<rocksdb::DB>(raw);
}

absl::StatusOr<std::optional<std::string>> GetRecord(rocksdb::DB& db,
                                                     const RecordKeys& keys,
                                                     uint8_t ns,
                                                     std::string_view key) {
  const std::string storage_key = keys.StorageKey(ns, key);
  std::string sealed;
  rocksdb::Status s = db.Get(rocksdb::ReadOptions(), storage_key, &sealed);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "cannot read the profile database");
  std::string stored_key, value;
  absl::Status status = keys.Open(storage_key, sealed, stored_key, value);
  if (!status.ok()) return status;
  const bool same_key = stored_key == key;
  WipeString(stored_key);
  if (!same_key) {
    WipeString(value);
    return CorruptRecord("key mismatch");
  }
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<Manifest> ReadManifest(rocksdb::DB& db, const RecordKeys& keys) {
  absl::StatusOr<std::optional<std::string>> bytes =
      GetRecord(db, keys, kManifestNamespace, kManifestKey);
  if (!bytes.ok()) {
    return Modified(absl::StrCat("the manifest does not authenticate (",
                                 bytes.status().message(), ")"));
  }
  if (!bytes->has_value()) return Modified("the manifest is missing");
  absl::StatusOr<Manifest> manifest = Manifest::Decode(**bytes);
  if (!manifest.ok()) return Modified(std::string(manifest.status().message()));
  return manifest;
}

absl::Status PutManifest(const RecordKeys& keys, const Manifest& manifest,
                         rocksdb::WriteBatch& write) {
  const std::string storage_key =
      keys.StorageKey(kManifestNamespace, kManifestKey);
  absl::StatusOr<std::string> sealed =
      keys.Seal(storage_key, kManifestKey, manifest.Encode());
  if (!sealed.ok()) return sealed.status();
  return FromRocks(write.Put(storage_key, *sealed),
                   "cannot build the write batch");
}

absl::Status VerifyManifest(rocksdb::DB& db, const RecordKeys& keys,
                            const Manifest& manifest) {
  const std::string manifest_key =
      keys.StorageKey(kManifestNamespace, kManifestKey);
  MultisetDigest digest;
  uint64_t records = 0;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key() == manifest_key) continue;
    digest.Add(keys.RecordDigest(it->key().ToStringView(),
                                 it->value().ToStringView()));
    ++records;
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), "cannot scan the profile database");
  }
  if (records != manifest.records) {
    return Modified(absl::StrCat("the manifest (version ", manifest.version,
                                 ") lists ", manifest.records,
                                 " records, the database holds ", records));
  }
  if (!(digest == manifest.digest)) {
    return Modified(absl::StrCat(
        "records were replaced, put back or swapped since manifest version ",
        manifest.version));
  }
  return absl::OkStatus();
}

}  // namespace confidant::client::internal
