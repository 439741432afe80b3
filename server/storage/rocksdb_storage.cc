// Storage on one RocksDB database with a column family per kind of record.
//
// Key layout (integers big-endian so keys sort numerically; "|" is plain
// concatenation, every part has a fixed width except where noted):
//
//   default            "format" -> kFormatVersion (foreign databases rejected)
//   organisations      org id (16 hex chars) -> storage.OrganisationRecord
//   org_names          ASCII-lowercased name (any length) -> org id
//   access_codes       access code hash (32) -> org id
//   invites            invite hash (32) -> storage.InviteRecord
//   accounts           account id (16) -> storage.AccountRecord
//   org_trust_persons  org id (16) | account id (16) -> ""
//   identity_keys      account id (16) -> storage.IdentityRecord
//   one_time_pre_keys  account id (16) | key id (4) -> public key
//   mailbox_meta, envelopes, expiry: see rocksdb_mailbox_store.cc
//
// Records are protobufs from proto/confidant/storage/records.proto. Every
// write is synced. The database itself (options, the forgetting pass, the
// order-free copy) is in rocksdb_database.cc.
#include "server/storage/rocksdb_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/bytes.h"
#include "confidant/storage/records.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "server/storage/rocksdb_database.h"
#include "server/storage/rocksdb_mailbox_store.h"
#include "server/storage/validation.h"

namespace confidant::server {
namespace {

namespace fs = std::filesystem;
using rocks::Cf;
using rocks::Database;
using rocks::FromRocks;
using rocks::ToSlice;
using rocks::ToView;
using enum rocks::Cf;

constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kFormatVersion = "confidant-storage-1";

std::string OneTimePreKeyKey(std::string_view account_id, uint32_t key_id) {
  std::string key(account_id);
  base::PutBigEndian(key, key_id, 4);
  return key;
}

template <typename Proto>
absl::Status ParseRecord(std::string_view in, absl::string_view what,
                         Proto* out) {
  if (!out->ParseFromArray(in.data(), static_cast<int>(in.size()))) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " record"));
  }
  return absl::OkStatus();
}

std::string EncodeOrganisation(const OrganisationRecord& org,
                               std::string_view access_code_hash) {
  storage::OrganisationRecord r;
  r.set_id(org.id);
  r.set_name(org.name);
  r.set_created_hour(org.created_hour);
  r.set_access_code_hash(std::string(access_code_hash));
  return r.SerializeAsString();
}

absl::StatusOr<storage::OrganisationRecord> DecodeOrganisation(
    std::string_view in) {
  storage::OrganisationRecord r;
  if (absl::Status s = ParseRecord(in, "organisation", &r); !s.ok()) return s;
  if (r.id().size() != kOrganisationIdSize ||
      r.access_code_hash().size() != kHashSize) {
    return absl::DataLossError("corrupt organisation record");
  }
  return r;
}

OrganisationRecord FromStored(const storage::OrganisationRecord& r) {
  return OrganisationRecord{r.id(), r.name(), r.created_hour()};
}

std::string EncodeInvite(const InviteRecord& invite) {
  storage::InviteRecord r;
  for (const std::string& org : invite.organisation_ids) {
    r.add_organisation_ids(org);
  }
  r.set_expires_hour(invite.expires_hour);
  return r.SerializeAsString();
}

absl::StatusOr<InviteRecord> DecodeInvite(std::string_view in) {
  storage::InviteRecord r;
  if (absl::Status s = ParseRecord(in, "invite", &r); !s.ok()) return s;
  if (r.organisation_ids().empty()) {
    return absl::DataLossError("corrupt invite record");
  }
  InviteRecord invite;
  invite.organisation_ids.assign(r.organisation_ids().begin(),
                                 r.organisation_ids().end());
  invite.expires_hour = r.expires_hour();
  return invite;
}

std::string EncodeAccount(const AccountRecord& account) {
  storage::AccountRecord r;
  r.set_id(account.id);
  r.set_kind(account.kind);
  r.set_secret_hash(account.secret_hash);
  for (const std::string& org : account.organisation_ids) {
    r.add_organisation_ids(org);
  }
  *r.mutable_profile() = account.profile;
  r.set_created_hour(account.created_hour);
  return r.SerializeAsString();
}

absl::StatusOr<AccountRecord> DecodeAccount(std::string_view in) {
  storage::AccountRecord r;
  if (absl::Status s = ParseRecord(in, "account", &r); !s.ok()) return s;
  if (r.id().size() != kAccountIdSize || r.secret_hash().size() != kHashSize) {
    return absl::DataLossError("corrupt account record");
  }
  AccountRecord account;
  account.id = r.id();
  account.kind = r.kind();
  account.secret_hash = r.secret_hash();
  account.organisation_ids.assign(r.organisation_ids().begin(),
                                  r.organisation_ids().end());
  account.profile = r.profile();
  account.created_hour = r.created_hour();
  return account;
}

std::string EncodeIdentity(const IdentityRecord& identity) {
  storage::IdentityRecord r;
  r.set_identity_key(identity.identity_key);
  r.set_registration_id(identity.registration_id);
  r.mutable_signed_pre_key()->set_id(identity.signed_pre_key.id);
  r.mutable_signed_pre_key()->set_public_key(
      identity.signed_pre_key.public_key);
  r.mutable_signed_pre_key()->set_signature(identity.signed_pre_key.signature);
  return r.SerializeAsString();
}

absl::StatusOr<IdentityRecord> DecodeIdentity(std::string_view in) {
  storage::IdentityRecord r;
  if (absl::Status s = ParseRecord(in, "identity", &r); !s.ok()) return s;
  return IdentityRecord{r.identity_key(), r.registration_id(),
                        SignedPreKeyRecord{r.signed_pre_key().id(),
                                           r.signed_pre_key().public_key(),
                                           r.signed_pre_key().signature()}};
}

// Trust persons are indexed per organisation; employees are not.
void PutTrustPersonIndex(const AccountRecord& account,
                         rocksdb::ColumnFamilyHandle* cf,
                         rocksdb::WriteBatch* batch) {
  if (account.kind != v1::ACCOUNT_KIND_TRUST_PERSON) return;
  for (const std::string& org : account.organisation_ids) {
    batch->Put(cf, org + account.id, rocksdb::Slice());
  }
}

// ---- Organisations ----

class RocksOrganisationStore : public OrganisationStore {
 public:
  explicit RocksOrganisationStore(Database& db) : db_(db) {}

  absl::Status Create(const OrganisationRecord& org,
                      std::string_view access_code_hash) override {
    if (absl::Status s = CheckOrganisationId(org.id); !s.ok()) return s;
    if (absl::Status s = CheckHash(access_code_hash); !s.ok()) return s;
    const std::string folded = absl::AsciiStrToLower(org.name);
    absl::MutexLock lock(&mu_);
    struct Unique {
      Cf cf;
      std::string_view key;
      const char* taken;
    };
    for (const Unique& u :
         {Unique{kOrganisations, org.id, "organisation id already exists"},
          Unique{kOrgNames, folded, "organisation name already exists"},
          Unique{kAccessCodes, access_code_hash,
                 "access code already in use"}}) {
      auto found = db_.Lookup(u.cf, u.key);
      if (!found.ok()) return found.status();
      if (found->has_value()) return absl::AlreadyExistsError(u.taken);
    }
    rocksdb::WriteBatch batch;
    batch.Put(db_.cf(kOrganisations), org.id,
              EncodeOrganisation(org, access_code_hash));
    batch.Put(db_.cf(kOrgNames), folded, org.id);
    batch.Put(db_.cf(kAccessCodes), ToSlice(access_code_hash), org.id);
    return db_.WriteSynced(&batch);
  }

  absl::StatusOr<OrganisationRecord> Get(std::string_view id) override {
    if (absl::Status s = CheckOrganisationId(id); !s.ok()) return s;
    auto stored = GetStored(id);
    if (!stored.ok()) return stored.status();
    return FromStored(*stored);
  }

  absl::StatusOr<std::vector<OrganisationRecord>> List() override {
    std::vector<OrganisationRecord> out;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kOrgNames);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto stored = GetStored(ToView(it->value()));
      if (!stored.ok()) return stored.status();
      out.push_back(FromStored(*stored));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return out;
  }

  absl::StatusOr<OrganisationRecord> FindByAccessCode(
      std::string_view access_code_hash) override {
    auto id = db_.Lookup(kAccessCodes, access_code_hash);
    if (!id.ok()) return id.status();
    if (!id->has_value()) {
      return absl::NotFoundError("no organisation with this access code");
    }
    auto stored = GetStored(**id);
    if (!stored.ok()) return stored.status();
    return FromStored(*stored);
  }

  absl::Status ReplaceAccessCode(std::string_view id,
                                 std::string_view new_hash) override {
    if (absl::Status s = CheckOrganisationId(id); !s.ok()) return s;
    if (absl::Status s = CheckHash(new_hash); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto stored = GetStored(id);
    if (!stored.ok()) return stored.status();
    if (stored->access_code_hash() == new_hash) return absl::OkStatus();
    auto taken = db_.Lookup(kAccessCodes, new_hash);
    if (!taken.ok()) return taken.status();
    if (taken->has_value()) {
      return absl::AlreadyExistsError("access code already in use");
    }
    rocksdb::WriteBatch batch;
    batch.Delete(db_.cf(kAccessCodes), stored->access_code_hash());
    batch.Put(db_.cf(kAccessCodes), ToSlice(new_hash), ToSlice(id));
    batch.Put(db_.cf(kOrganisations), ToSlice(id),
              EncodeOrganisation(FromStored(*stored), new_hash));
    return db_.WriteSynced(&batch);
  }

 private:
  absl::StatusOr<storage::OrganisationRecord> GetStored(std::string_view id) {
    auto value = db_.Lookup(kOrganisations, id);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return absl::NotFoundError("no such organisation");
    return DecodeOrganisation(**value);
  }

  Database& db_;
  absl::Mutex mu_;  // serialises writes so id, name and code stay unique
};

// ---- Accounts and invites ----

class RocksAccountStore : public AccountStore {
 public:
  explicit RocksAccountStore(Database& db) : db_(db) {}

  absl::Status Create(const AccountRecord& account) override {
    if (absl::Status s = CheckAccount(account); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    rocksdb::WriteBatch batch;
    if (absl::Status s = AddAccount(account, &batch); !s.ok()) return s;
    return db_.WriteSynced(&batch);
  }

  absl::Status AddInvite(std::string_view invite_hash,
                         const InviteRecord& invite) override {
    if (absl::Status s = CheckHash(invite_hash); !s.ok()) return s;
    if (invite.organisation_ids.empty()) {
      return absl::InvalidArgumentError("invite names no organisation");
    }
    for (const std::string& org : invite.organisation_ids) {
      if (absl::Status s = CheckOrganisationId(org); !s.ok()) return s;
    }
    absl::MutexLock lock(&mu_);
    auto existing = db_.Lookup(kInvites, invite_hash);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError("invite already exists");
    }
    rocksdb::WriteBatch batch;
    batch.Put(db_.cf(kInvites), ToSlice(invite_hash), EncodeInvite(invite));
    return db_.WriteSynced(&batch);
  }

  absl::StatusOr<AccountRecord> CreateWithInvite(
      std::string_view invite_hash, uint32_t now_hour,
      AccountRecord account) override {
    absl::MutexLock lock(&mu_);
    auto value = db_.Lookup(kInvites, invite_hash);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return absl::NotFoundError("no such invite");
    auto invite = DecodeInvite(**value);
    if (!invite.ok()) return invite.status();
    rocksdb::WriteBatch batch;
    batch.Delete(db_.cf(kInvites), ToSlice(invite_hash));
    if (now_hour >= invite->expires_hour) {
      if (absl::Status s = db_.WriteSynced(&batch); !s.ok()) return s;
      return absl::FailedPreconditionError("invite has expired");
    }
    account.organisation_ids = std::move(invite->organisation_ids);
    if (absl::Status s = CheckAccount(account); !s.ok()) return s;
    if (absl::Status s = AddAccount(account, &batch); !s.ok()) return s;
    if (absl::Status s = db_.WriteSynced(&batch); !s.ok()) return s;
    return account;
  }

  absl::StatusOr<AccountRecord> Get(std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    auto value = db_.Lookup(kAccounts, account_id);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return absl::NotFoundError("no such account");
    return DecodeAccount(**value);
  }

  absl::StatusOr<std::vector<AccountRecord>> ListTrustPersons(
      std::string_view organisation_id) override {
    if (absl::Status s = CheckOrganisationId(organisation_id); !s.ok()) {
      return s;
    }
    std::vector<AccountRecord> out;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kOrgTrustPersons);
    for (it->Seek(ToSlice(organisation_id));
         it->Valid() && ToView(it->key()).starts_with(organisation_id);
         it->Next()) {
      std::string_view account_id =
          ToView(it->key()).substr(kOrganisationIdSize);
      auto value = db_.Lookup(kAccounts, account_id);
      if (!value.ok()) return value.status();
      if (!value->has_value()) {
        return absl::DataLossError(
            "trust person index names a missing account");
      }
      auto account = DecodeAccount(**value);
      if (!account.ok()) return account.status();
      out.push_back(*std::move(account));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return out;
  }

  absl::StatusOr<Counts> Count(uint32_t now_hour) override {
    Counts counts;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kAccounts);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto account = DecodeAccount(ToView(it->value()));
      if (!account.ok()) return account.status();
      if (account->kind == v1::ACCOUNT_KIND_EMPLOYEE) ++counts.employees;
      if (account->kind == v1::ACCOUNT_KIND_TRUST_PERSON) {
        ++counts.trust_persons;
      }
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    it = db_.NewIterator(kInvites);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto invite = DecodeInvite(ToView(it->value()));
      if (!invite.ok()) return invite.status();
      if (now_hour < invite->expires_hour) ++counts.open_invites;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return counts;
  }

  absl::StatusOr<uint64_t> DeleteExpiredInvites(uint32_t now_hour) override {
    absl::MutexLock lock(&mu_);
    rocksdb::WriteBatch batch;
    uint64_t deleted = 0;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kInvites);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto invite = DecodeInvite(ToView(it->value()));
      if (!invite.ok()) return invite.status();
      if (now_hour >= invite->expires_hour) {
        batch.Delete(db_.cf(kInvites), it->key());
        ++deleted;
      }
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    if (deleted == 0) return 0;
    if (absl::Status s = db_.WriteSynced(&batch); !s.ok()) return s;
    return deleted;
  }

 private:
  // Adds `account` and its index entries to `batch`; ALREADY_EXISTS if taken.
  absl::Status AddAccount(const AccountRecord& account,
                          rocksdb::WriteBatch* batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto existing = db_.Lookup(kAccounts, account.id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError("account id already exists");
    }
    batch->Put(db_.cf(kAccounts), account.id, EncodeAccount(account));
    PutTrustPersonIndex(account, db_.cf(kOrgTrustPersons), batch);
    return absl::OkStatus();
  }

  Database& db_;
  absl::Mutex mu_;  // serialises account and invite writes
};

// ---- Keys ----

class RocksKeyStore : public KeyStore {
 public:
  explicit RocksKeyStore(Database& db) : db_(db) {}

  absl::StatusOr<uint32_t> Upload(std::string_view account_id,
                                  const KeyUpload& upload,
                                  uint32_t max_one_time_keys) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto stored = LoadIdentity(account_id);
    if (!stored.ok()) return stored.status();
    const bool fresh = !stored->has_value() || upload.replace_identity;
    if (fresh && (upload.registration_id == 0 || !upload.signed_pre_key)) {
      return absl::FailedPreconditionError(
          "a first upload or identity replacement needs a registration id "
          "and a signed pre-key");
    }
    if (!fresh && (*stored)->identity_key != upload.identity_key) {
      return absl::FailedPreconditionError(
          "identity key differs from the stored one");
    }
    auto existing = OneTimeKeyIds(account_id);
    if (!existing.ok()) return existing.status();

    IdentityRecord next = fresh ? IdentityRecord{} : **stored;
    next.identity_key = upload.identity_key;
    if (upload.registration_id != 0) {
      next.registration_id = upload.registration_id;
    }
    if (upload.signed_pre_key) next.signed_pre_key = *upload.signed_pre_key;
    std::set<uint32_t> ids;
    if (!upload.replace_identity)
      ids.insert(existing->begin(), existing->end());
    for (const OneTimePreKeyRecord& key : upload.one_time_pre_keys) {
      ids.insert(key.id);
    }
    if (ids.size() > max_one_time_keys) {
      return absl::ResourceExhaustedError("too many one-time pre-keys");
    }

    rocksdb::WriteBatch batch;
    if (upload.replace_identity) {
      for (uint32_t id : *existing) {
        batch.Delete(db_.cf(kOneTimePreKeys), OneTimePreKeyKey(account_id, id));
      }
    }
    for (const OneTimePreKeyRecord& key : upload.one_time_pre_keys) {
      batch.Put(db_.cf(kOneTimePreKeys), OneTimePreKeyKey(account_id, key.id),
                key.public_key);
    }
    batch.Put(db_.cf(kIdentityKeys), ToSlice(account_id), EncodeIdentity(next));
    if (absl::Status s = db_.WriteSynced(&batch); !s.ok()) return s;
    return static_cast<uint32_t>(ids.size());
  }

  absl::StatusOr<IdentityRecord> GetIdentity(
      std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    auto stored = LoadIdentity(account_id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return absl::NotFoundError("no keys uploaded");
    return **stored;
  }

  absl::StatusOr<PreKeyBundleRecord> TakeBundle(
      std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto stored = LoadIdentity(account_id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return absl::NotFoundError("no keys uploaded");
    PreKeyBundleRecord bundle;
    bundle.identity = **stored;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kOneTimePreKeys);
    it->Seek(ToSlice(account_id));
    if (it->Valid() && ToView(it->key()).starts_with(account_id)) {
      if (it->key().size() != kAccountIdSize + 4) {
        return absl::DataLossError("corrupt one-time pre-key entry");
      }
      bundle.one_time_pre_key =
          OneTimePreKeyRecord{static_cast<uint32_t>(base::GetBigEndian(
                                  ToView(it->key()).substr(kAccountIdSize), 4)),
                              it->value().ToString()};
      rocksdb::WriteBatch batch;
      batch.Delete(db_.cf(kOneTimePreKeys), it->key());
      if (absl::Status s = db_.WriteSynced(&batch); !s.ok()) return s;
    } else if (!it->status().ok()) {
      return FromRocks(it->status(), "storage scan");
    }
    return bundle;
  }

  absl::StatusOr<uint32_t> CountOneTimePreKeys(
      std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    auto ids = OneTimeKeyIds(account_id);
    if (!ids.ok()) return ids.status();
    return static_cast<uint32_t>(ids->size());
  }

 private:
  absl::StatusOr<std::optional<IdentityRecord>> LoadIdentity(
      std::string_view account_id) {
    auto value = db_.Lookup(kIdentityKeys, account_id);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return std::optional<IdentityRecord>();
    auto identity = DecodeIdentity(**value);
    if (!identity.ok()) return identity.status();
    return std::optional<IdentityRecord>(*std::move(identity));
  }

  absl::StatusOr<std::vector<uint32_t>> OneTimeKeyIds(
      std::string_view account_id) {
    std::vector<uint32_t> ids;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kOneTimePreKeys);
    for (it->Seek(ToSlice(account_id));
         it->Valid() && ToView(it->key()).starts_with(account_id); it->Next()) {
      if (it->key().size() != kAccountIdSize + 4) {
        return absl::DataLossError("corrupt one-time pre-key entry");
      }
      ids.push_back(static_cast<uint32_t>(
          base::GetBigEndian(ToView(it->key()).substr(kAccountIdSize), 4)));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return ids;
  }

  Database& db_;
  absl::Mutex mu_;  // serialises key writes: a one-time key is taken once
};

// ---- Storage ----

class RocksDbStorage : public Storage {
 public:
  RocksDbStorage(std::string dir, std::unique_ptr<Database> db,
                 const RocksDbStorageOptions& options)
      : dir_(std::move(dir)),
        db_(std::move(db)),
        organisations_(*db_),
        accounts_(*db_),
        keys_(*db_),
        mailboxes_(rocks::NewRocksMailboxStore(*db_, options.expire_batch)) {}

  OrganisationStore& organisations() override { return organisations_; }
  AccountStore& accounts() override { return accounts_; }
  KeyStore& keys() override { return keys_; }
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
  RocksOrganisationStore organisations_;
  RocksAccountStore accounts_;
  RocksKeyStore keys_;
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
