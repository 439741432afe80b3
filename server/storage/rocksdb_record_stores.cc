// The organisation, account and key stores on the RocksDB database
// (rocksdb_database.h). Key layout (integers big-endian so keys sort
// numerically; "|" is plain concatenation, every part has a fixed width
// except where noted):
//
//   organisations      org id (16 hex chars) -> storage.OrganisationRecord
//   org_names          ASCII-lowercased name (any length) -> org id
//   access_codes       access code hash (32) -> org id
//   invites            invite hash (32) -> storage.InviteRecord
//   accounts           account id (16) -> storage.AccountRecord
//   org_trust_persons  org id (16) | account id (16) -> ""
//   identity_keys      account id (16) -> storage.IdentityRecord
//   one_time_pre_keys  account id (16) | key id (4) -> public key
//
// Records are protobufs from proto/confidant/storage/records.proto. Every
// write is synced.
#include "server/storage/rocksdb_record_stores.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/bytes.h"
#include "confidant/storage/records.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "server/storage/validation.h"

namespace confidant::server::rocks {
namespace {

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

}  // namespace

std::unique_ptr<OrganisationStore> NewRocksOrganisationStore(Database& db) {
  return std::make_unique<RocksOrganisationStore>(db);
}

std::unique_ptr<AccountStore> NewRocksAccountStore(Database& db) {
  return std::make_unique<RocksAccountStore>(db);
}

std::unique_ptr<KeyStore> NewRocksKeyStore(Database& db) {
  return std::make_unique<RocksKeyStore>(db);
}

}  // namespace confidant::server::rocks
