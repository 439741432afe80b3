// Storage on one RocksDB database with a column family per kind of record:
// opening it (the directory, the column families and the format marker are
// checked first) and the Storage that holds its stores. Key layout:
//
//   default            "format" -> kFormatVersion (foreign databases rejected)
//   organisations, org_names, access_codes, invites, accounts,
//   org_trust_persons, identity_keys, one_time_pre_keys:
//                      see rocksdb_record_stores.cc
//   mailbox_meta, envelopes, expiry: see rocksdb_mailbox_store.cc
//
// The database itself (options, the forgetting pass, the order-free copy) is
// in rocksdb_database.cc.
#include "server/storage/rocksdb_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "server/storage/rocksdb_database.h"
#include "server/storage/rocksdb_mailbox_store.h"
#include "server/storage/rocksdb_record_stores.h"

namespace confidant::server {
namespace {

namespace fs = std::filesystem;
using rocks::Database;
using rocks::FromRocks;
using rocks::ToSlice;
using enum rocks::Cf;

constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kFormatVersion = "confidant-storage-1";

// ---- Storage ----

class RocksDbStorage : public Storage {
 public:
  RocksDbStorage(std::string dir, std::unique_ptr<Database> db,
                 const RocksDbStorageOptions& options)
      : dir_(std::move(dir)),
        db_(std::move(db)),
        organisations_(rocks::NewRocksOrganisationStore(*db_)),
        accounts_(rocks::NewRocksAccountStore(*db_)),
        keys_(rocks::NewRocksKeyStore(*db_)),
        mailboxes_(rocks::NewRocksMailboxStore(*db_, options.expire_batch)) {}

  OrganisationStore& organisations() override { return *organisations_; }
  AccountStore& accounts() override { return *accounts_; }
  KeyStore& keys() override { return *keys_; }
  MailboxStore& mailboxes() override { return *mailboxes_; }

  absl::Status Checkpoint(const std::string& target_dir) override {
    std::error_code ec;
    const bool exists = fs::exists(target_dir, ec);
    if (ec) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot check checkpoint target ", target_dir, ": ", ec.message()));
    }
    if (exists) {
      return absl::FailedPreconditionError(
          absl::StrCat("checkpoint target ", target_dir, " already exists"));
    }
    return db_->CopyTo(target_dir);
  }

  absl::StatusOr<uint64_t> BytesOnDisk() override {
    std::error_code ec;
    uint64_t total = 0;
    for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::error_code size_ec;  // files may vanish under compaction
      if (it->is_regular_file(size_ec)) {
        const uintmax_t size = it->file_size(size_ec);
        if (!size_ec) total += size;
      }
    }
    if (ec) {
      return absl::InternalError(
          absl::StrCat("cannot list ", dir_, ": ", ec.message()));
    }
    return total;
  }

  absl::Status Flush() override {
    if (absl::Status s =
            FromRocks(db_->db()->FlushWAL(/*sync=*/true), "WAL flush failed");
        !s.ok()) {
      return s;
    }
    return FromRocks(db_->db()->Flush(rocksdb::FlushOptions(), db_->handles()),
                     "memtable flush failed");
  }

  absl::Status Forget() override { return db_->Forget(); }
  bool HasUnforgottenWrites() override { return db_->HasUnforgottenWrites(); }

 private:
  std::string dir_;
  std::unique_ptr<Database> db_;  // first: outlives the stores
  std::unique_ptr<OrganisationStore> organisations_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<KeyStore> keys_;
  std::unique_ptr<MailboxStore> mailboxes_;
};

// ---- Opening ----

absl::Status PrepareDirectory(const std::string& dir, bool create) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory ", dir, " exists but is not a directory"));
    }
  } else if (!create) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory ", dir, " does not exist"));
  } else if (fs::create_directories(dir, ec); ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory ", dir, ": ", ec.message()));
  }
  const std::string probe = (fs::path(dir) / ".write-test").string();
  const int fd =
      ::open(probe.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data directory ", dir, " is not writable: ", std::strerror(errno)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return absl::OkStatus();
}

class SilentLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {}
};

// A corrupt MANIFEST may list no column families at all; opening read-only
// tells that apart from a foreign database without writing to it.
absl::Status ProbeReadOnly(const std::string& dir,
                           const std::vector<std::string>& names) {
  rocksdb::DBOptions options;
  options.info_log = std::make_shared<SilentLogger>();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &handles, &raw);
  if (!s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database in ", dir, " is corrupt or unreadable: ", s.ToString()));
  }
  std::unique_ptr<rocksdb::DB> opened(raw);
  for (rocksdb::ColumnFamilyHandle* h : handles) {
    opened->DestroyColumnFamilyHandle(h);
  }
  return absl::OkStatus();  // closed again by `opened`
}

// Checks that an existing database is ours before opening it for writing.
absl::Status CheckColumnFamilies(const std::string& dir) {
  std::vector<std::string> names;
  rocksdb::DBOptions options;
  options.info_log = std::make_shared<SilentLogger>();
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database in ", dir, " is corrupt or unreadable: ", s.ToString()));
  }
  for (std::string_view want : rocks::kCfNames) {
    if (std::find(names.begin(), names.end(), want) == names.end()) {
      if (absl::Status readable = ProbeReadOnly(dir, names); !readable.ok()) {
        return readable;
      }
      return absl::FailedPreconditionError(absl::StrCat(
          dir, " does not hold a Confidant database (no column family '",
          std::string(want), "')"));
    }
  }
  for (const std::string& name : names) {
    if (std::find(rocks::kCfNames.begin(), rocks::kCfNames.end(), name) ==
        rocks::kCfNames.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          dir, " holds column family '", name,
          "' unknown to this version (a foreign or newer database)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckFormat(Database& db, const std::string& dir, bool is_new) {
  auto format = db.Lookup(kDefault, kFormatKey);
  if (!format.ok()) return format.status();
  if (format->has_value()) {
    if (**format == kFormatVersion) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " holds storage format '", **format, "'; this version reads '",
        std::string(kFormatVersion), "'"));
  }
  if (!is_new) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " does not hold a Confidant database (no format marker)"));
  }
  rocksdb::WriteBatch batch;
  batch.Put(db.cf(kDefault), ToSlice(kFormatKey), ToSlice(kFormatVersion));
  return db.WriteSynced(&batch);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Storage>> OpenRocksDbStorage(
    const std::string& dir, const RocksDbStorageOptions& options) {
  if (absl::Status s = PrepareDirectory(dir, options.create_if_missing);
      !s.ok()) {
    return s;
  }
  std::error_code ec;
  const bool is_new = !fs::exists(fs::path(dir) / "CURRENT", ec);
  if (is_new && !options.create_if_missing) {
    return absl::FailedPreconditionError(
        absl::StrCat("there is no database in ", dir));
  }
  if (!is_new) {
    if (absl::Status s = CheckColumnFamilies(dir); !s.ok()) return s;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir, is_new);
  if (!db.ok()) return db.status();
  if (absl::Status format = CheckFormat(**db, dir, is_new); !format.ok()) {
    return format;
  }
  return std::make_unique<RocksDbStorage>(dir, *std::move(db), options);
}

}  // namespace confidant::server
