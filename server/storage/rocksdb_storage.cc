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
//   mailbox_meta       mailbox -> last_seq (8) | count (8)
//   envelopes          mailbox | seq (8) -> stored hour (4) | content
//   expiry             stored hour (4) | mailbox | seq (8) -> ""
//
// where mailbox = account id (16) | device id (4). Records are protobufs from
// proto/confidant/storage/records.proto. Every write is synced. Mailbox
// writes go through one writer thread that commits whatever is queued as one
// synced batch (group commit), which also makes seqs visible in order.
#include "server/storage/rocksdb_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "confidant/storage/records.pb.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/utilities/table_properties_collectors.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "rocksdb/write_batch.h"
#include "server/log.h"
#include "server/storage/validation.h"

namespace confidant::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kFormatVersion = "confidant-storage-1";
constexpr size_t kMailboxKeySize = kAccountIdSize + 4;
constexpr size_t kEnvelopeKeySize = kMailboxKeySize + 8;
constexpr size_t kExpiryKeySize = 4 + kEnvelopeKeySize;

enum Cf : size_t {
  kDefault,
  kOrganisations,
  kOrgNames,
  kAccessCodes,
  kInvites,
  kAccounts,
  kOrgTrustPersons,
  kIdentityKeys,
  kOneTimePreKeys,
  kMailboxMeta,
  kEnvelopes,
  kExpiry,
  kCfCount,
};

constexpr std::array<std::string_view, kCfCount> kCfNames = {
    "default",           "organisations", "org_names",         "access_codes",
    "invites",           "accounts",      "org_trust_persons", "identity_keys",
    "one_time_pre_keys", "mailbox_meta",  "envelopes",         "expiry",
};

// ---- Encoding ----

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }
std::string_view ToView(const rocksdb::Slice& s) {
  return {s.data(), s.size()};
}

void AppendBigEndian32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void AppendBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

uint32_t ReadBigEndian32(std::string_view in) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

uint64_t ReadBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

std::string MailboxKey(const MailboxId& mailbox) {
  std::string key = mailbox.account_id;
  AppendBigEndian32(&key, mailbox.device_id);
  return key;
}

std::string EnvelopeKey(std::string_view mailbox_key, uint64_t seq) {
  std::string key(mailbox_key);
  AppendBigEndian64(&key, seq);
  return key;
}

std::string ExpiryKey(uint32_t hour, std::string_view envelope_key) {
  std::string key;
  AppendBigEndian32(&key, hour);
  key.append(envelope_key);
  return key;
}

std::string OneTimePreKeyKey(std::string_view account_id, uint32_t key_id) {
  std::string key(account_id);
  AppendBigEndian32(&key, key_id);
  return key;
}

struct MailboxMeta {
  uint64_t last_seq = 0;  // kept when the mailbox empties: seqs never reused
  uint64_t count = 0;
};

std::string EncodeMeta(const MailboxMeta& meta) {
  std::string out;
  AppendBigEndian64(&out, meta.last_seq);
  AppendBigEndian64(&out, meta.count);
  return out;
}

absl::StatusOr<MailboxMeta> DecodeMeta(std::string_view in) {
  if (in.size() != 16) return absl::DataLossError("corrupt mailbox record");
  return MailboxMeta{ReadBigEndian64(in), ReadBigEndian64(in.substr(8))};
}

std::string EncodeEnvelope(uint32_t hour, std::string_view content) {
  std::string out;
  out.reserve(4 + content.size());
  AppendBigEndian32(&out, hour);
  out.append(content);
  return out;
}

absl::StatusOr<StoredEnvelope> DecodeEnvelope(uint64_t seq,
                                              std::string_view in) {
  if (in.size() < 4) return absl::DataLossError("corrupt envelope record");
  return StoredEnvelope{seq, std::string(in.substr(4)), ReadBigEndian32(in)};
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

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  if (s.IsCorruption()) {
    return absl::DataLossError(absl::StrCat(what, ": ", s.ToString()));
  }
  return absl::InternalError(absl::StrCat(what, ": ", s.ToString()));
}

// ---- The database and its column families ----

class Database {
 public:
  Database(std::unique_ptr<rocksdb::DB> db,
           std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : db_(std::move(db)), handles_(std::move(handles)) {}
  ~Database() {
    for (rocksdb::ColumnFamilyHandle* h : handles_) {
      db_->DestroyColumnFamilyHandle(h);
    }
    db_->Close();
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Cf c) { return handles_[c]; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles() {
    return handles_;
  }

  // The value under `key`, or nullopt if there is none.
  absl::StatusOr<std::optional<std::string>> Lookup(Cf c,
                                                    std::string_view key) {
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), cf(c), ToSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, "storage read failed");
    return std::optional<std::string>(std::move(value));
  }

  std::unique_ptr<rocksdb::Iterator> NewIterator(
      Cf c, const rocksdb::ReadOptions& options = rocksdb::ReadOptions()) {
    return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(options, cf(c)));
  }

  absl::Status WriteSynced(rocksdb::WriteBatch* batch) {
    rocksdb::WriteOptions options;
    options.sync = true;
    return FromRocks(db_->Write(options, batch), "storage write failed");
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Cf
};

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
      bundle.one_time_pre_key = OneTimePreKeyRecord{
          ReadBigEndian32(ToView(it->key()).substr(kAccountIdSize)),
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
      ids.push_back(ReadBigEndian32(ToView(it->key()).substr(kAccountIdSize)));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return ids;
  }

  Database& db_;
  absl::Mutex mu_;  // serialises key writes: a one-time key is taken once
};

// ---- Mailboxes ----

// All mailbox writes run on one writer thread. Callers queue an operation with
// a callback (the blocking forms wait for theirs); the writer applies
// everything queued to one batch (seqs assigned in queue order), writes it with
// one fsync and then runs every callback.
class RocksMailboxStore : public MailboxStore {
 public:
  RocksMailboxStore(Database& db, uint64_t expire_batch)
      : db_(db),
        expire_batch_(std::max<uint64_t>(1, expire_batch)),
        writer_([this] { RunWriter(); }) {}

  // Finishes every queued operation, then stops the writer.
  ~RocksMailboxStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    writer_.join();
  }

  absl::StatusOr<uint64_t> Append(const MailboxId& mailbox, std::string content,
                                  uint32_t stored_hour,
                                  uint32_t max_queued) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    return Submit(
        NewAppend(mailbox, std::move(content), stored_hour, max_queued));
  }

  void AppendAsync(const MailboxId& mailbox, std::string content,
                   uint32_t stored_hour, uint32_t max_queued,
                   AppendDone done) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) {
      std::move(done)(s);
      return;
    }
    std::unique_ptr<Op> op =
        NewAppend(mailbox, std::move(content), stored_hour, max_queued);
    op->callback = [done = std::move(done)](absl::Status status,
                                            uint64_t seq) mutable {
      if (!status.ok()) {
        std::move(done)(std::move(status));
      } else {
        std::move(done)(seq);
      }
    };
    SubmitAsync(std::move(op));
  }

  void DeleteAsync(const MailboxId& mailbox, std::vector<uint64_t> seqs,
                   DeleteDone done) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) {
      std::move(done)(s);
      return;
    }
    std::unique_ptr<Op> op = NewDelete(mailbox, std::move(seqs));
    op->callback = [done = std::move(done)](absl::Status status,
                                            uint64_t deleted) mutable {
      if (!status.ok()) {
        std::move(done)(std::move(status));
      } else {
        std::move(done)(static_cast<uint32_t>(deleted));
      }
    };
    SubmitAsync(std::move(op));
  }

  absl::StatusOr<std::vector<StoredEnvelope>> Read(const MailboxId& mailbox,
                                                   uint64_t after_seq,
                                                   size_t max_count,
                                                   size_t max_bytes) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    std::vector<StoredEnvelope> out;
    if (after_seq == UINT64_MAX || max_count == 0) return out;
    const std::string mailbox_key = MailboxKey(mailbox);
    size_t bytes = 0;
    // Bounded to this mailbox: without the bound, reading the end of a
    // mailbox walks on over the next mailboxes' deleted, not yet compacted
    // envelopes (38% of relay CPU when receivers keep up). Seq UINT64_MAX is
    // never assigned, so the exclusive bound hides nothing.
    const std::string upper_bound = EnvelopeKey(mailbox_key, UINT64_MAX);
    const rocksdb::Slice upper_bound_slice = ToSlice(upper_bound);
    rocksdb::ReadOptions options;
    options.iterate_upper_bound = &upper_bound_slice;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kEnvelopes, options);
    for (it->Seek(EnvelopeKey(mailbox_key, after_seq + 1));
         it->Valid() && ToView(it->key()).starts_with(mailbox_key) &&
         out.size() < max_count;
         it->Next()) {
      if (it->key().size() != kEnvelopeKeySize) {
        return absl::DataLossError("corrupt envelope key");
      }
      const uint64_t seq =
          ReadBigEndian64(ToView(it->key()).substr(kMailboxKeySize));
      auto envelope = DecodeEnvelope(seq, ToView(it->value()));
      if (!envelope.ok()) return envelope.status();
      if (!out.empty() && bytes + envelope->content.size() > max_bytes) break;
      bytes += envelope->content.size();
      out.push_back(*std::move(envelope));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return out;
  }

  absl::StatusOr<uint32_t> Delete(const MailboxId& mailbox,
                                  absl::Span<const uint64_t> seqs) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    auto deleted = Submit(
        NewDelete(mailbox, std::vector<uint64_t>(seqs.begin(), seqs.end())));
    if (!deleted.ok()) return deleted.status();
    return static_cast<uint32_t>(*deleted);
  }

  // Deletes in batches of expire_batch_, so one retention pass over a large
  // backlog neither builds one huge write batch nor holds up Send and Ack.
  absl::StatusOr<uint64_t> ExpireBefore(uint32_t cutoff_hour) override {
    uint64_t total = 0;
    for (;;) {
      auto op = std::make_unique<Op>();
      op->kind = Op::Kind::kExpire;
      op->hour = cutoff_hour;
      absl::StatusOr<uint64_t> expired = Submit(std::move(op));
      if (!expired.ok()) return expired.status();
      total += *expired;
      if (*expired < expire_batch_) return total;
    }
  }

  absl::StatusOr<uint64_t> CountQueued() override {
    uint64_t count = 0;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kMailboxMeta);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto meta = DecodeMeta(ToView(it->value()));
      if (!meta.ok()) return meta.status();
      count += meta->count;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return count;
  }

 private:
  struct Op {
    enum class Kind { kAppend, kDelete, kExpire };
    Kind kind = Kind::kAppend;
    std::string mailbox_key;     // append, delete
    std::string content;         // append
    uint32_t hour = 0;           // append: stored hour; expire: cutoff
    uint32_t max_queued = 0;     // append
    std::vector<uint64_t> seqs;  // delete
    absl::Status status;         // set by the writer
    uint64_t result = 0;         // seq, or how many were deleted
    // Run by the writer once the op is done (or failed); then the op is
    // deleted. Queued ops are owned by the queue.
    absl::AnyInvocable<void(absl::Status, uint64_t)> callback;
  };

  static std::unique_ptr<Op> NewAppend(const MailboxId& mailbox,
                                       std::string content,
                                       uint32_t stored_hour,
                                       uint32_t max_queued) {
    auto op = std::make_unique<Op>();
    op->kind = Op::Kind::kAppend;
    op->mailbox_key = MailboxKey(mailbox);
    op->content = std::move(content);
    op->hour = stored_hour;
    op->max_queued = max_queued;
    return op;
  }

  static std::unique_ptr<Op> NewDelete(const MailboxId& mailbox,
                                       std::vector<uint64_t> seqs) {
    auto op = std::make_unique<Op>();
    op->kind = Op::Kind::kDelete;
    op->mailbox_key = MailboxKey(mailbox);
    op->seqs = std::move(seqs);
    return op;
  }

  // Queues `op` and waits for its result.
  absl::StatusOr<uint64_t> Submit(std::unique_ptr<Op> op) {
    absl::Notification done;
    absl::StatusOr<uint64_t> result;
    op->callback = [&done, &result](absl::Status status, uint64_t value) {
      if (status.ok()) {
        result = value;
      } else {
        result = std::move(status);
      }
      done.Notify();
    };
    SubmitAsync(std::move(op));
    done.WaitForNotification();
    return result;
  }

  void SubmitAsync(std::unique_ptr<Op> op) {
    {
      absl::MutexLock lock(&queue_mu_);
      if (!stopping_) {
        queue_.push_back(op.release());
        return;
      }
    }
    op->callback(absl::FailedPreconditionError("storage is closing"), 0);
  }

  // Runs the op's callback and deletes it.
  static void Finish(Op* op) {
    std::unique_ptr<Op> owned(op);
    owned->callback(std::move(owned->status), owned->result);
  }

  bool HasWorkOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(queue_mu_) {
    return stopping_ || !queue_.empty();
  }

  void RunWriter() {
    for (;;) {
      std::vector<Op*> group;
      {
        absl::MutexLock lock(&queue_mu_);
        queue_mu_.Await(
            absl::Condition(this, &RocksMailboxStore::HasWorkOrStopping));
        if (queue_.empty()) return;  // stopping, and everything is done
        group.swap(queue_);
      }
      CommitGroup(group);
    }
  }

  // Each Apply* first reads, then either fails without touching the batch or
  // the cache, or adds its writes to both.
  void CommitGroup(const std::vector<Op*>& group) {
    // Bounded memory with many mailboxes; entries reload from disk on use.
    if (meta_cache_.size() > kMetaCacheLimit) meta_cache_.clear();
    rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0,
                                       /*overwrite_key=*/true);
    batch_status_ = rocksdb::Status::OK();
    std::vector<Op*> applied;
    for (Op* op : group) {
      switch (op->kind) {
        case Op::Kind::kAppend:
          op->status = ApplyAppend(*op, batch);
          break;
        case Op::Kind::kDelete:
          op->status = ApplyDelete(*op, batch);
          break;
        case Op::Kind::kExpire:
          op->status = ApplyExpire(*op, batch);
          break;
      }
      if (op->status.ok()) {
        applied.push_back(op);
      } else {
        Finish(op);
      }
    }
    absl::Status written = FromRocks(batch_status_, "mailbox batch failed");
    if (written.ok() && batch.GetWriteBatch()->Count() > 0) {
      written = db_.WriteSynced(batch.GetWriteBatch());
    }
    if (!written.ok()) {
      meta_cache_.clear();  // reload what really is on disk
      Log(LogLevel::kError,
          absl::StrCat("storage: mailbox write failed: ", written.message()));
    }
    for (Op* op : applied) {
      if (!written.ok()) op->status = written;
      Finish(op);
    }
  }

  absl::Status ApplyAppend(Op& op, rocksdb::WriteBatchWithIndex& batch) {
    auto meta = LoadMeta(op.mailbox_key);
    if (!meta.ok()) return meta.status();
    if ((*meta)->count >= op.max_queued) {
      return absl::ResourceExhaustedError("mailbox is full");
    }
    const uint64_t seq = (*meta)->last_seq + 1;
    const std::string key = EnvelopeKey(op.mailbox_key, seq);
    Put(batch, kEnvelopes, key, EncodeEnvelope(op.hour, op.content));
    Put(batch, kExpiry, ExpiryKey(op.hour, key), "");
    (*meta)->last_seq = seq;
    ++(*meta)->count;
    Put(batch, kMailboxMeta, op.mailbox_key, EncodeMeta(**meta));
    op.result = seq;
    return absl::OkStatus();
  }

  absl::Status ApplyDelete(Op& op, rocksdb::WriteBatchWithIndex& batch) {
    std::sort(op.seqs.begin(), op.seqs.end());
    op.seqs.erase(std::unique(op.seqs.begin(), op.seqs.end()), op.seqs.end());
    std::vector<std::pair<std::string, uint32_t>> found;  // key, stored hour
    for (uint64_t seq : op.seqs) {
      std::string key = EnvelopeKey(op.mailbox_key, seq);
      std::string value;
      rocksdb::Status s = batch.GetFromBatchAndDB(
          db_.db(), rocksdb::ReadOptions(), db_.cf(kEnvelopes), key, &value);
      if (s.IsNotFound()) continue;
      if (!s.ok()) return FromRocks(s, "storage read failed");
      auto envelope = DecodeEnvelope(seq, value);
      if (!envelope.ok()) return envelope.status();
      found.emplace_back(std::move(key), envelope->stored_hour);
    }
    op.result = found.size();
    if (found.empty()) return absl::OkStatus();
    auto meta = LoadMeta(op.mailbox_key);
    if (!meta.ok()) return meta.status();
    for (const auto& [key, hour] : found) {
      Delete(batch, kEnvelopes, key);
      Delete(batch, kExpiry, ExpiryKey(hour, key));
    }
    (*meta)->count -= std::min<uint64_t>((*meta)->count, found.size());
    Put(batch, kMailboxMeta, op.mailbox_key, EncodeMeta(**meta));
    return absl::OkStatus();
  }

  absl::Status ApplyExpire(Op& op, rocksdb::WriteBatchWithIndex& batch) {
    std::string end;
    AppendBigEndian32(&end, op.hour);
    std::vector<std::string> due;  // expiry keys
    std::unique_ptr<rocksdb::Iterator> it(batch.NewIteratorWithBase(
        db_.cf(kExpiry),
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kExpiry))));
    for (it->SeekToFirst(); it->Valid() && it->key().compare(end) < 0 &&
                            due.size() < expire_batch_;
         it->Next()) {
      if (it->key().size() != kExpiryKeySize) {
        return absl::DataLossError("corrupt expiry entry");
      }
      due.push_back(it->key().ToString());
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    std::unordered_map<std::string, MailboxMeta*> touched;
    for (const std::string& key : due) {
      std::string mailbox_key = key.substr(4, kMailboxKeySize);
      if (touched.contains(mailbox_key)) continue;
      auto meta = LoadMeta(mailbox_key);
      if (!meta.ok()) return meta.status();
      touched.emplace(std::move(mailbox_key), *meta);
    }
    for (const std::string& key : due) {
      MailboxMeta* meta = touched.at(key.substr(4, kMailboxKeySize));
      if (meta->count > 0) --meta->count;
      Delete(batch, kEnvelopes, std::string_view(key).substr(4));
      Delete(batch, kExpiry, key);
    }
    for (const auto& [mailbox_key, meta] : touched) {
      Put(batch, kMailboxMeta, mailbox_key, EncodeMeta(*meta));
    }
    op.result = due.size();
    return absl::OkStatus();
  }

  // The cached meta of `mailbox_key`, loaded from disk on first use. The
  // pointer stays valid until the cache is cleared.
  absl::StatusOr<MailboxMeta*> LoadMeta(const std::string& mailbox_key) {
    auto cached = meta_cache_.find(mailbox_key);
    if (cached != meta_cache_.end()) return &cached->second;
    auto value = db_.Lookup(kMailboxMeta, mailbox_key);
    if (!value.ok()) return value.status();
    MailboxMeta meta;
    if (value->has_value()) {
      auto decoded = DecodeMeta(**value);
      if (!decoded.ok()) return decoded.status();
      meta = *decoded;
    }
    return &meta_cache_.emplace(mailbox_key, meta).first->second;
  }

  void Put(rocksdb::WriteBatchWithIndex& batch, Cf cf, std::string_view key,
           std::string_view value) {
    if (batch_status_.ok()) {
      batch_status_ = batch.Put(db_.cf(cf), ToSlice(key), ToSlice(value));
    }
  }

  void Delete(rocksdb::WriteBatchWithIndex& batch, Cf cf,
              std::string_view key) {
    if (batch_status_.ok()) {
      batch_status_ = batch.Delete(db_.cf(cf), ToSlice(key));
    }
  }

  Database& db_;
  const uint64_t expire_batch_;

  absl::Mutex queue_mu_;
  std::vector<Op*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  // Mailbox metas kept in memory; the cache is dropped between write groups
  // when it grows past this (each entry is about 100 bytes).
  static constexpr size_t kMetaCacheLimit = 100000;
  // Used by the writer thread only. Node-based so pointers stay valid within
  // one write group.
  std::unordered_map<std::string, MailboxMeta> meta_cache_;
  rocksdb::Status batch_status_;

  std::thread writer_;  // last: starts after everything above is constructed
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
        mailboxes_(*db_, options.expire_batch) {}

  OrganisationStore& organisations() override { return organisations_; }
  AccountStore& accounts() override { return accounts_; }
  KeyStore& keys() override { return keys_; }
  MailboxStore& mailboxes() override { return mailboxes_; }

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
    rocksdb::Checkpoint* raw = nullptr;
    if (absl::Status s = FromRocks(rocksdb::Checkpoint::Create(db_->db(), &raw),
                                   "checkpoint failed");
        !s.ok()) {
      return s;
    }
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(target_dir),
                     absl::StrCat("checkpoint into ", target_dir, " failed"));
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

 private:
  std::string dir_;
  std::unique_ptr<Database> db_;  // first: outlives the stores
  RocksOrganisationStore organisations_;
  RocksAccountStore accounts_;
  RocksKeyStore keys_;
  RocksMailboxStore mailboxes_;
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

rocksdb::DBOptions MakeDbOptions() {
  rocksdb::DBOptions options;
  options.max_open_files = 256;
  options.recycle_log_file_num = 0;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.keep_log_file_num = 2;
  options.max_log_file_size = 1 << 20;
  options.max_background_jobs = 2;
  options.db_write_buffer_size = 64 << 20;  // across all column families
  // A log file is deleted only once every column family with data in it has
  // flushed; rarely written ones (accounts, keys) would keep gigabytes of log
  // alive behind the envelope traffic. Past this size the oldest are flushed.
  options.max_total_wal_size = 64 << 20;
  options.paranoid_checks = true;
  return options;
}

rocksdb::ColumnFamilyOptions MakeCfOptions(
    const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = block_cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.write_buffer_size = 8 << 20;
  // Queued envelopes are written once and deleted once. Files where deletions
  // dominate are compacted early, so acked envelopes give their disk space
  // back without waiting for new writes to push compactions along.
  options.table_properties_collector_factories.push_back(
      rocksdb::NewCompactOnDeletionCollectorFactory(
          /*sliding_window_size=*/1024, /*deletion_trigger=*/512,
          /*deletion_ratio=*/0.5));
  // Level targets follow the data size: at most about 10% space overhead.
  options.level_compaction_dynamic_level_bytes = true;
  return options;
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
  Database opened(std::unique_ptr<rocksdb::DB>(raw), std::move(handles));
  return absl::OkStatus();  // closed again by `opened`
}

// Checks that an existing database is ours before opening it for writing.
absl::Status CheckColumnFamilies(const std::string& dir) {
  std::vector<std::string> names;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database in ", dir, " is corrupt or unreadable: ", s.ToString()));
  }
  for (std::string_view want : kCfNames) {
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
    if (std::find(kCfNames.begin(), kCfNames.end(), name) == kCfNames.end()) {
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

  rocksdb::DBOptions db_options = MakeDbOptions();
  db_options.create_if_missing = is_new;
  db_options.create_missing_column_families = is_new;
  const std::shared_ptr<rocksdb::Cache> block_cache =
      rocksdb::NewLRUCache(32 << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (std::string_view name : kCfNames) {
    descriptors.emplace_back(std::string(name), MakeCfOptions(block_cache));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open the database in ", dir, ": ", s.ToString(),
                     absl::StrContains(s.ToString(), "LOCK")
                         ? " (is another process using it?)"
                         : ""));
  }
  auto db = std::make_unique<Database>(std::unique_ptr<rocksdb::DB>(raw),
                                       std::move(handles));
  if (absl::Status format = CheckFormat(*db, dir, is_new); !format.ok()) {
    return format;
  }
  return std::make_unique<RocksDbStorage>(dir, std::move(db), options);
}

}  // namespace confidant::server
