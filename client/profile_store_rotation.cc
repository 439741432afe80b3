// ProfileStore::ChangePassphrase: a new master key and a new database
// generation, switched by replacing the header.
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "client/internal/profile_crypto.h"
#include "client/internal/profile_database.h"
#include "client/internal/profile_header.h"
#include "client/internal/profile_records.h"
#include "client/passphrase_policy.h"
#include "client/profile_store.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace confidant::client {
namespace {

using crypto::SecretBytes;
using crypto::WipeString;
using internal::FromRocks;
using internal::Manifest;
using internal::PutManifest;
using internal::RecordKeys;
using internal::SyncedWrites;

// Records re-encrypted per write batch.
constexpr int kRotationBatch = 512;

}  // namespace

void ProfileStore::SetRotationCrashForTesting(
    std::function<bool(RotationPoint)> crash) {
  absl::MutexLock lock(&header_mu_);
  rotation_crash_ = std::move(crash);
}

absl::Status ProfileStore::ChangePassphrase(
    std::string_view old_passphrase, std::string_view new_passphrase,
    std::optional<crypto::Argon2Params> new_params) {
  if (absl::Status status = CheckPassphraseStrength(new_passphrase);
      !status.ok()) {
    return status;
  }
  if (new_params.has_value()) {
    if (absl::Status status = internal::CheckArgon2Params(*new_params);
        !status.ok()) {
      return status;
    }
  }
  absl::MutexLock header_lock(&header_mu_);
  absl::StatusOr<std::string> bytes = internal::ReadHeaderFile(dir_);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<internal::ProfileHeader> header =
      internal::ParseProfileHeader(*bytes);
  if (!header.ok()) return header.status();
  absl::StatusOr<SecretBytes> old_master_key =
      internal::UnwrapMasterKey(*header, old_passphrase);
  if (!old_master_key.ok()) return old_master_key.status();
  {
    absl::ReaderMutexLock lock(&mu_);
    if (!old_master_key->Equals(master_key_) ||
        header->generation != generation_) {
      return absl::DataLossError(
          "profile header on disk no longer matches the open profile");
    }
  }
  SecretBytes new_master_key = SecretBytes::Random(internal::kKeySize);
  absl::StatusOr<std::string> new_header = internal::BuildProfileHeader(
      new_passphrase, new_params.value_or(header->params),
      header->generation + 1, new_master_key);
  if (!new_header.ok()) return new_header.status();
  absl::MutexLock lock(&mu_);
  return Rotate(new_master_key, *new_header);
}

absl::Status ProfileStore::Rotate(const SecretBytes& new_master_key,
                                  const std::string& new_header) {
  const uint64_t new_generation = generation_ + 1;
  const std::string old_path = internal::DatabasePath(dir_, generation_);
  const std::string new_path = internal::DatabasePath(dir_, new_generation);
  std::error_code error;
  std::filesystem::remove_all(new_path, error);  // an earlier attempt's
  absl::StatusOr<RecordKeys> new_keys = RecordKeys::Derive(new_master_key);
  if (!new_keys.ok()) return new_keys.status();
  absl::StatusOr<std::unique_ptr<rocksdb::DB>> new_db =
      internal::OpenDatabase(new_path, /*create=*/true);
  if (!new_db.ok()) return new_db.status();
  auto fail = [&](absl::Status status) {
    new_db->reset();
    std::filesystem::remove_all(new_path, error);
    return status;
  };

  // Every record, opened with the old keys and sealed with the new ones.
  Manifest manifest;
  manifest.version = manifest_->version + 1;
  const std::string old_manifest_key =
      keys_->StorageKey(internal::kManifestNamespace, internal::kManifestKey);
  rocksdb::WriteBatch write;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key() == old_manifest_key) continue;
    std::string key, value;
    absl::Status status = keys_->Open(it->key().ToStringView(),
                                      it->value().ToStringView(), key, value);
    if (!status.ok()) return fail(status);
    const auto ns = static_cast<uint8_t>(it->key()[0]);
    const std::string storage_key = new_keys->StorageKey(ns, key);
    absl::StatusOr<std::string> sealed =
        new_keys->Seal(storage_key, key, value);
    WipeString(key);
    WipeString(value);
    if (!sealed.ok()) return fail(sealed.status());
    manifest.digest.Add(new_keys->RecordDigest(storage_key, *sealed));
    ++manifest.records;
    if (absl::Status s = FromRocks(write.Put(storage_key, *sealed),
                                   "cannot build the write batch");
        !s.ok()) {
      return fail(s);
    }
    if (write.Count() >= kRotationBatch) {
      if (absl::Status s = FromRocks((*new_db)->Write({}, &write),
                                     "cannot write the new profile database");
          !s.ok()) {
        return fail(s);
      }
      write.Clear();
    }
  }
  if (!it->status().ok()) {
    return fail(FromRocks(it->status(), "cannot scan the profile database"));
  }
  it.reset();
  if (absl::Status s = PutManifest(*new_keys, manifest, write); !s.ok()) {
    return fail(s);
  }
  // The synced write makes the whole log durable, everything before it too;
  // the flush puts it all into tables and deletes that log.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  if (absl::Status s = FromRocks((*new_db)->Write(SyncedWrites(), &write),
                                 "cannot write the new profile database");
      !s.ok()) {
    return fail(s);
  }
  if (absl::Status s = FromRocks((*new_db)->Flush(flush),
                                 "cannot flush the new profile database");
      !s.ok()) {
    return fail(s);
  }
  if (absl::Status s = internal::SyncDirectory(internal::DatabaseRoot(dir_));
      !s.ok()) {
    return fail(s);
  }
  if (rotation_crash_ && rotation_crash_(RotationPoint::kNewDatabaseWritten)) {
    new_db->reset();
    return absl::AbortedError("crash injected before the header switch");
  }

  // The switch: from here on the header names the new generation.
  if (absl::Status s =
          base::WriteFileAtomically(internal::HeaderPath(dir_), new_header);
      !s.ok()) {
    // Unless the rename happened, the old header still stands.
    absl::StatusOr<std::string> now = internal::ReadHeaderFile(dir_);
    if (now.ok() && *now == new_header) {
      // It did; keep going with the new generation.
    } else {
      return fail(s);
    }
  }
  if (rotation_crash_ && rotation_crash_(RotationPoint::kHeaderReplaced)) {
    new_db->reset();
    return absl::AbortedError("crash injected after the header switch");
  }
  db_->Close().PermitUncheckedError();
  db_ = *std::move(new_db);
  keys_ = std::make_unique<RecordKeys>(*std::move(new_keys));
  master_key_ = new_master_key.Clone();
  *manifest_ = manifest;
  generation_ = new_generation;
  last_forget_ = absl::Now();
  std::filesystem::remove_all(old_path, error);
  if (error) {
    return absl::InternalError(absl::StrCat(
        "passphrase changed, but the old database could not be removed (it "
        "goes at the next open): ",
        error.message()));
  }
  return internal::SyncDirectory(internal::DatabaseRoot(dir_));
}

}  // namespace confidant::client
