#include "client/profile_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "base/rocksdb_forget.h"
#include "client/internal/profile_crypto.h"
#include "client/internal/profile_database.h"
#include "client/internal/profile_header.h"
#include "client/internal/profile_records.h"
#include "client/passphrase_policy.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace confidant::client {
namespace {

using crypto::SecretBytes;
using crypto::WipeString;
using internal::FromRocks;
using internal::GetRecord;
using internal::Manifest;
using internal::PutManifest;
using internal::RecordKeys;
using internal::SyncDirectory;
using internal::SyncedWrites;

// A record in kMeta that proves the database belongs to the header's key.
constexpr std::string_view kCheckKey = "profile";
constexpr std::string_view kCheckValue = "confidant profile v2";

absl::Status CheckNamespace(Namespace ns) {
  const auto n = static_cast<uint8_t>(ns);
  if (n == 0) return absl::InvalidArgumentError("namespace 0 is invalid");
  if (n >= internal::kManifestNamespace) {
    return absl::InvalidArgumentError(
        absl::StrCat("namespace ", n, " is reserved for the profile store"));
  }
  return absl::OkStatus();
}

// Whether replacing or deleting a record of `ns` leaves key material behind
// that must be compacted away at once (sessions wait; see Write()).
bool IsKeyNamespace(Namespace ns) {
  return ns == Namespace::kIdentity || ns == Namespace::kPreKey ||
         ns == Namespace::kSignedPreKey || ns == Namespace::kPeerIdentity;
}

// The crash hook of Create() (SetCreationCrashForTesting).
struct CreationHook {
  absl::Mutex mu;
  std::function<bool(ProfileStore::CreationPoint)> crash ABSL_GUARDED_BY(mu);
};

CreationHook& TheCreationHook() {
  static CreationHook* const hook = new CreationHook;
  return *hook;
}

bool CrashAt(ProfileStore::CreationPoint point) {
  CreationHook& hook = TheCreationHook();
  absl::MutexLock lock(&hook.mu);
  return hook.crash && hook.crash(point);
}

// An exclusive flock(2) on a directory, so two Create() calls (in this or
// another process) never work in one directory at once. Released when
// destroyed, or by the kernel when the process dies.
class DirectoryLock {
 public:
  // UNAVAILABLE if another holder has `dir` locked.
  static absl::StatusOr<DirectoryLock> Acquire(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return internal::ErrnoError("cannot open", dir);
    DirectoryLock lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return absl::UnavailableError(absl::StrCat(
            "a profile is being created in ", dir, " by another process"));
      }
      return internal::ErrnoError("cannot lock", dir);
    }
    return lock;
  }

  DirectoryLock(DirectoryLock&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)) {}
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

// Removes what an interrupted Create() left in `dir`, which holds no header:
// a staged header and the database beside it (the database first, the staged
// header last), and temporary header files. ALREADY_EXISTS for a database
// without a staged header, which no Create() of this build leaves.
absl::Status RemoveInterruptedCreation(const std::string& dir) {
  const std::string staged = internal::StagedHeaderPath(dir);
  const std::string root = internal::DatabaseRoot(dir);
  std::error_code error;
  if (internal::PathExists(root)) {
    if (!internal::PathExists(staged)) {
      return absl::AlreadyExistsError(absl::StrCat(
          dir,
          " holds a profile database without a header; move it away to "
          "create a new profile here"));
    }
    std::filesystem::remove_all(root, error);
    if (error) {
      return absl::InternalError(
          absl::StrCat("cannot remove the interrupted creation's ", root, ": ",
                       error.message()));
    }
    if (absl::Status status = SyncDirectory(dir); !status.ok()) return status;
  }
  bool removed = false;
  for (const std::string& path :
       {staged, staged + ".tmp", internal::HeaderPath(dir) + ".tmp"}) {
    removed = std::filesystem::remove(path, error) || removed;
    if (error) {
      return absl::InternalError(
          absl::StrCat("cannot remove ", path, ": ", error.message()));
    }
  }
  return removed ? SyncDirectory(dir) : absl::OkStatus();
}

}  // namespace

ProfileStore::Batch::~Batch() {
  for (Op& op : ops_) {
    WipeString(op.key);
    if (op.value.has_value()) WipeString(*op.value);
  }
}

void ProfileStore::Batch::Put(Namespace ns, std::string_view key,
                              std::string_view value) {
  ops_.push_back(Op{ns, std::string(key), std::string(value)});
}

void ProfileStore::Batch::Delete(Namespace ns, std::string_view key) {
  ops_.push_back(Op{ns, std::string(key), std::nullopt});
}

ProfileStore::ProfileStore(std::string dir, uint64_t generation,
                           std::unique_ptr<rocksdb::DB> db,
                           SecretBytes master_key,
                           std::unique_ptr<RecordKeys> keys,
                           std::unique_ptr<Manifest> manifest)
    : dir_(std::move(dir)),
      generation_(generation),
      db_(std::move(db)),
      master_key_(std::move(master_key)),
      keys_(std::move(keys)),
      manifest_(std::move(manifest)),
      last_forget_(absl::Now()) {}

ProfileStore::~ProfileStore() {
  absl::MutexLock lock(&mu_);
  if (db_ == nullptr) return;
  if (manifest_->forget_pending) ForgetLocked().IgnoreError();
  db_->Close().PermitUncheckedError();
}

void ProfileStore::SetCreationCrashForTesting(
    std::function<bool(CreationPoint)> crash) {
  CreationHook& hook = TheCreationHook();
  absl::MutexLock lock(&hook.mu);
  hook.crash = std::move(crash);
}

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Create(
    const std::string& dir, std::string_view passphrase,
    const crypto::Argon2Params& params) {
  if (absl::Status status = CheckPassphraseStrength(passphrase); !status.ok()) {
    return status;
  }
  if (absl::Status status = internal::CheckArgon2Params(params); !status.ok()) {
    return status;
  }
  const bool dir_existed = internal::PathExists(dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return internal::ErrnoError("cannot chmod", dir);
  }
  if (!dir_existed) {
    if (absl::Status status = SyncDirectory(base::ParentDirectory(dir));
        !status.ok()) {
      return status;
    }
  }
  absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir);
  if (!lock.ok()) return lock.status();
  if (internal::PathExists(internal::HeaderPath(dir))) {
    return absl::AlreadyExistsError(
        absl::StrCat(dir, " already holds a profile"));
  }
  if (absl::Status status = RemoveInterruptedCreation(dir); !status.ok()) {
    return status;
  }

  constexpr uint64_t kFirstGeneration = 1;
  SecretBytes master_key = SecretBytes::Random(internal::kKeySize);
  absl::StatusOr<std::string> header = internal::BuildProfileHeader(
      passphrase, params, kFirstGeneration, master_key);
  if (!header.ok()) return header.status();
  absl::StatusOr<RecordKeys> keys = RecordKeys::Derive(master_key);
  if (!keys.ok()) return keys.status();

  // The complete header goes first, under a name that marks everything else
  // in `dir` as this creation's, so a crash leaves nothing ambiguous.
  const std::string staged = internal::StagedHeaderPath(dir);
  if (absl::Status status = base::WriteFileAtomically(staged, *header);
      !status.ok()) {
    return status;
  }
  if (CrashAt(CreationPoint::kHeaderStaged)) {
    return absl::AbortedError("crash injected after staging the header");
  }
  std::unique_ptr<ProfileStore> store;
  // Undoes everything but the directory: the database first, the staged
  // header (the mark) last, so a crash in between leaves the mark.
  auto fail = [&](absl::Status status) {
    store.reset();
    std::filesystem::remove_all(internal::DatabaseRoot(dir), error);
    if (!error && SyncDirectory(dir).ok()) {
      std::filesystem::remove(staged, error);
      SyncDirectory(dir).IgnoreError();
    }
    return status;
  };
  std::filesystem::create_directory(internal::DatabaseRoot(dir), error);
  if (error) {
    return fail(absl::InternalError(absl::StrCat(
        "cannot create ", internal::DatabaseRoot(dir), ": ", error.message())));
  }
  absl::StatusOr<std::unique_ptr<rocksdb::DB>> db = internal::OpenDatabase(
      internal::DatabasePath(dir, kFirstGeneration), /*create=*/true);
  if (!db.ok()) return fail(db.status());
  if (CrashAt(CreationPoint::kDatabaseCreated)) {
    return absl::AbortedError("crash injected after creating the database");
  }
  store.reset(new ProfileStore(dir, kFirstGeneration, *std::move(db),
                               std::move(master_key),
                               std::make_unique<RecordKeys>(*std::move(keys)),
                               std::make_unique<Manifest>()));
  absl::Status status = store->Put(Namespace::kMeta, kCheckKey, kCheckValue);
  if (status.ok()) status = SyncDirectory(internal::DatabaseRoot(dir));
  if (status.ok()) status = SyncDirectory(dir);
  if (!status.ok()) return fail(status);
  if (CrashAt(CreationPoint::kDatabaseWritten)) {
    store.reset();
    return absl::AbortedError("crash injected before publishing the header");
  }

  // The switch: one rename makes it a profile.
  const std::string published = internal::HeaderPath(dir);
  if (::rename(staged.c_str(), published.c_str()) != 0) {
    return fail(internal::ErrnoError("cannot rename to", published));
  }
  if (CrashAt(CreationPoint::kHeaderPublished)) {
    store.reset();
    return absl::AbortedError("crash injected after publishing the header");
  }
  if (status = SyncDirectory(dir); !status.ok()) {
    // Not known to be durable: take it back to the staged name, so that it
    // is either undone below or, after a crash, by the next Create().
    if (::rename(published.c_str(), staged.c_str()) != 0) return status;
    return fail(status);
  }
  return store;
}

absl::StatusOr<std::string> ProfileStore::DatabaseDir(const std::string& dir) {
  absl::StatusOr<std::string> bytes = internal::ReadHeaderFile(dir);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<internal::ProfileHeader> header =
      internal::ParseProfileHeader(*bytes);
  if (!header.ok()) return header.status();
  return internal::DatabasePath(dir, header->generation);
}

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Open(
    const std::string& dir, std::string_view passphrase) {
  absl::StatusOr<std::string> bytes = internal::ReadHeaderFile(dir);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<internal::ProfileHeader> header =
      internal::ParseProfileHeader(*bytes);
  if (!header.ok()) return header.status();
  absl::StatusOr<SecretBytes> master_key =
      internal::UnwrapMasterKey(*header, passphrase);
  if (!master_key.ok()) return master_key.status();
  absl::StatusOr<RecordKeys> keys = RecordKeys::Derive(*master_key);
  if (!keys.ok()) return keys.status();

  const std::string path = internal::DatabasePath(dir, header->generation);
  if (!internal::PathExists(path)) {
    return absl::FailedPreconditionError(
        absl::StrCat("profile database is missing: ", dir, " has no ",
                     kProfileDatabaseDir, "/", header->generation));
  }
  absl::StatusOr<std::unique_ptr<rocksdb::DB>> db =
      internal::OpenDatabase(path, /*create=*/false);
  if (!db.ok()) return db.status();
  absl::StatusOr<std::optional<std::string>> check =
      GetRecord(**db, *keys, static_cast<uint8_t>(Namespace::kMeta), kCheckKey);
  if (!check.ok() || !check->has_value() || **check != kCheckValue) {
    return absl::DataLossError(
        "profile database does not belong to this profile header (or lost "
        "its check record)");
  }
  absl::StatusOr<Manifest> manifest = internal::ReadManifest(**db, *keys);
  if (!manifest.ok()) return manifest.status();
  if (absl::Status status = internal::VerifyManifest(**db, *keys, *manifest);
      !status.ok()) {
    return status;
  }

  std::unique_ptr<ProfileStore> store(new ProfileStore(
      dir, header->generation, *std::move(db), *std::move(master_key),
      std::make_unique<RecordKeys>(*std::move(keys)),
      std::make_unique<Manifest>(*std::move(manifest))));
  {
    absl::MutexLock lock(&store->mu_);
    store->RemoveLeftovers();
    if (store->manifest_->forget_pending) {
      if (absl::Status status = store->ForgetLocked(); !status.ok()) {
        return status;
      }
    }
  }
  return store;
}

absl::Status ProfileStore::Remove(const std::string& dir) {
  std::error_code error;
  const std::string header = internal::HeaderPath(dir);
  const std::string staged = internal::StagedHeaderPath(dir);
  if (std::filesystem::exists(header, error)) {
    std::filesystem::rename(header, staged, error);
    if (error) {
      return absl::InternalError(absl::StrCat("cannot remove the profile in ",
                                              dir, ": ", error.message()));
    }
    if (absl::Status s = base::SyncDirectory(dir); !s.ok()) return s;
  }
  std::filesystem::remove_all(internal::DatabaseRoot(dir), error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot remove the profile in ",
                                            dir, ": ", error.message()));
  }
  std::filesystem::remove(staged, error);
  return base::SyncDirectory(dir);
}

void ProfileStore::RemoveLeftovers() {
  std::error_code error;
  const std::string root = internal::DatabaseRoot(dir_);
  const std::string current = std::to_string(generation_);
  bool removed = false;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    if (entry.path().filename() == current) continue;
    std::filesystem::remove_all(entry.path(), error);
    removed = true;
  }
  std::filesystem::remove(internal::HeaderPath(dir_) + ".tmp", error);
  const std::string staged = internal::StagedHeaderPath(dir_);
  std::filesystem::remove(staged, error);
  std::filesystem::remove(staged + ".tmp", error);
  if (removed) internal::SyncDirectory(root).IgnoreError();
}

absl::Status ProfileStore::Put(Namespace ns, std::string_view key,
                               std::string_view value) {
  Batch batch;
  batch.Put(ns, key, value);
  return Write(batch);
}

absl::Status ProfileStore::Delete(Namespace ns, std::string_view key) {
  Batch batch;
  batch.Delete(ns, key);
  return Write(batch);
}

absl::Status ProfileStore::Write(const Batch& batch) {
  if (Transaction* txn = ActiveTransaction(); txn != nullptr) {
    for (const Batch::Op& op : batch.ops_) {
      if (absl::Status status = CheckNamespace(op.ns); !status.ok()) {
        return status;
      }
    }
    for (const Batch::Op& op : batch.ops_) txn->Stage(op);
    return absl::OkStatus();
  }
  absl::MutexLock lock(&mu_);
  if (write_fault_) {
    if (absl::Status fault = write_fault_(batch); !fault.ok()) return fault;
  }
  return WriteLocked(batch);
}

void ProfileStore::SetWriteFaultForTesting(
    std::function<absl::Status(const Batch&)> fault) {
  absl::MutexLock lock(&mu_);
  write_fault_ = std::move(fault);
}

absl::Status ProfileStore::WriteLocked(const Batch& batch) {
  for (const Batch::Op& op : batch.ops_) {
    if (absl::Status status = CheckNamespace(op.ns); !status.ok()) {
      return status;
    }
  }
  Manifest next = *manifest_;
  bool forget_now = false;
  // The sealed value each touched key holds as of the operations so far.
  std::map<std::string, std::optional<std::string>> current;
  rocksdb::WriteBatch write;
  for (const Batch::Op& op : batch.ops_) {
    const std::string storage_key =
        keys_->StorageKey(static_cast<uint8_t>(op.ns), op.key);
    auto [it, inserted] = current.try_emplace(storage_key);
    if (inserted) {
      std::string old;
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), storage_key, &old);
      if (s.ok()) {
        it->second = std::move(old);
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "cannot read the profile database");
      }
    }
    if (it->second.has_value()) {
      next.digest.Remove(keys_->RecordDigest(storage_key, *it->second));
      --next.records;
      // A purged case (its file deleted, with its messages in the same
      // batch) is compacted away at once too: gone means gone from disk.
      const bool purged =
          op.ns == Namespace::kCaseFile && !op.value.has_value();
      if (IsKeyNamespace(op.ns) || purged) forget_now = true;
      if (IsKeyNamespace(op.ns) || purged || op.ns == Namespace::kSession) {
        next.forget_pending = true;
      }
      it->second.reset();
    }
    rocksdb::Status s;
    if (op.value.has_value()) {
      absl::StatusOr<std::string> sealed =
          keys_->Seal(storage_key, op.key, *op.value);
      if (!sealed.ok()) return sealed.status();
      next.digest.Add(keys_->RecordDigest(storage_key, *sealed));
      ++next.records;
      s = write.Put(storage_key, *sealed);
      it->second = *std::move(sealed);
    } else {
      s = write.Delete(storage_key);
    }
    if (!s.ok()) return FromRocks(s, "cannot build the write batch");
  }
  ++next.version;
  if (absl::Status status = PutManifest(*keys_, next, write); !status.ok()) {
    return status;
  }
  if (absl::Status status = FromRocks(db_->Write(SyncedWrites(), &write),
                                      "cannot write to the profile database");
      !status.ok()) {
    return status;
  }
  *manifest_ = next;
  if (manifest_->forget_pending &&
      (forget_now || absl::Now() - last_forget_ >= kSessionForgetInterval)) {
    // The batch is durable whatever happens here. A pass that fails stays
    // pending in the manifest and is retried by the next write, the close or
    // the next Open().
    ForgetLocked().IgnoreError();
  }
  return absl::OkStatus();
}

absl::Status ProfileStore::ForgetLocked() {
  rocksdb::ColumnFamilyHandle* family = db_->DefaultColumnFamily();
  if (absl::Status status = base::ForgetDeleted(*db_, {&family, 1}, family);
      !status.ok()) {
    return status;
  }
  last_forget_ = absl::Now();
  Manifest next = *manifest_;
  ++next.version;
  next.forget_pending = false;
  rocksdb::WriteBatch write;
  if (absl::Status status = PutManifest(*keys_, next, write); !status.ok()) {
    return status;
  }
  if (absl::Status status = FromRocks(db_->Write(SyncedWrites(), &write),
                                      "cannot write to the profile database");
      !status.ok()) {
    return status;
  }
  *manifest_ = next;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ProfileStore::Get(
    Namespace ns, std::string_view key) {
  if (absl::Status status = CheckNamespace(ns); !status.ok()) return status;
  if (Transaction* txn = ActiveTransaction(); txn != nullptr) {
    std::optional<std::string> staged;
    if (txn->Lookup(ns, key, staged)) return staged;
  }
  absl::ReaderMutexLock lock(&mu_);
  return GetRecord(*db_, *keys_, static_cast<uint8_t>(ns), key);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ProfileStore::Scan(Namespace ns) {
  if (absl::Status status = CheckNamespace(ns); !status.ok()) return status;
  absl::ReaderMutexLock lock(&mu_);
  const char prefix = static_cast<char>(ns);
  std::vector<std::pair<std::string, std::string>> out;
  auto wipe_out = [&out] {
    for (auto& [k, v] : out) {
      WipeString(k);
      WipeString(v);
    }
  };
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(rocksdb::Slice(&prefix, 1));
       it->Valid() && !it->key().empty() && it->key()[0] == prefix;
       it->Next()) {
    std::string key, value;
    absl::Status status = keys_->Open(it->key().ToStringView(),
                                      it->value().ToStringView(), key, value);
    if (!status.ok()) {
      wipe_out();
      return status;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  if (!it->status().ok()) {
    wipe_out();
    return FromRocks(it->status(), "cannot scan the profile database");
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (Transaction* txn = ActiveTransaction(); txn != nullptr) {
    txn->MergeInto(ns, out);
  }
  return out;
}

}  // namespace confidant::client
