// Storage interfaces of the relay. Everything the relay keeps goes through
// these; there is an in-memory implementation (memory_storage.h) for tests and
// the RocksDB one (rocksdb_storage.h) for production. One contract test suite
// (tests/server/storage_contract_test.cc) runs against both.
//
// All methods are thread-safe and may block (disk I/O, fsync): never call them
// on a gRPC reactor thread. Errors are absl::Status; NOT_FOUND always means
// "no such record", INTERNAL a storage failure.
#ifndef CONFIDANT_SERVER_STORAGE_STORAGE_H_
#define CONFIDANT_SERVER_STORAGE_STORAGE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "confidant/v1/common.pb.h"
#include "confidant/v1/wire.h"

namespace confidant::server {

// 16-byte account ids and 32-byte hashes are kept as std::string of bytes.
inline constexpr size_t kAccountIdSize = wire::kAccountIdSize;
inline constexpr size_t kHashSize = 32;

struct OrganisationRecord {
  std::string id;             // 16 lowercase hex characters
  std::string name;           // unique ignoring ASCII case
  uint32_t created_hour = 0;  // hours since the Unix epoch
};

struct InviteRecord {
  std::vector<std::string> organisation_ids;  // at least one
  uint32_t expires_hour = 0;  // usable while now_hour < expires_hour
};

struct AccountRecord {
  std::string id;  // kAccountIdSize bytes
  v1::AccountKind kind = v1::ACCOUNT_KIND_UNSPECIFIED;
  std::string secret_hash;  // kHashSize bytes: SHA-256 of the secret
  std::vector<std::string> organisation_ids;
  v1::TrustPersonProfile profile;  // empty for employees
  uint32_t created_hour = 0;
};

struct SignedPreKeyRecord {
  uint32_t id = 0;
  std::string public_key;  // 33 bytes
  std::string signature;   // 64 bytes
};

struct OneTimePreKeyRecord {
  uint32_t id = 0;
  std::string public_key;  // 33 bytes
};

struct IdentityRecord {
  std::string identity_key;  // 33 bytes
  uint32_t registration_id = 0;
  SignedPreKeyRecord signed_pre_key;
};

struct KeyUpload {
  // Always set: the identity key the signed pre-key (if any) was verified
  // against. Must equal the stored one unless `replace_identity`.
  std::string identity_key;
  // Non-zero on the first upload and with `replace_identity`; 0 keeps the
  // stored one.
  uint32_t registration_id = 0;
  std::optional<SignedPreKeyRecord> signed_pre_key;
  std::vector<OneTimePreKeyRecord> one_time_pre_keys;
  bool replace_identity = false;
};

struct PreKeyBundleRecord {
  IdentityRecord identity;
  std::optional<OneTimePreKeyRecord> one_time_pre_key;
};

struct MailboxId {
  std::string account_id;  // kAccountIdSize bytes
  uint32_t device_id = 1;
};

struct StoredEnvelope {
  uint64_t seq = 0;
  std::string content;
  uint32_t stored_hour = 0;
};

class OrganisationStore {
 public:
  virtual ~OrganisationStore() = default;

  // Stores a new organisation whose access code hashes to `access_code_hash`.
  // ALREADY_EXISTS if the id or the name (ignoring ASCII case) is taken.
  virtual absl::Status Create(const OrganisationRecord& org,
                              std::string_view access_code_hash) = 0;
  virtual absl::StatusOr<OrganisationRecord> Get(std::string_view id) = 0;
  // All organisations, ordered by name.
  virtual absl::StatusOr<std::vector<OrganisationRecord>> List() = 0;
  // The organisation whose current access code hashes to `access_code_hash`.
  virtual absl::StatusOr<OrganisationRecord> FindByAccessCode(
      std::string_view access_code_hash) = 0;
  // Replaces the access code; the old hash stops matching at once.
  virtual absl::Status ReplaceAccessCode(std::string_view id,
                                         std::string_view new_hash) = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Stores a new account. ALREADY_EXISTS if the id is taken.
  virtual absl::Status Create(const AccountRecord& account) = 0;
  // Stores a one-time invite under the hash of its code.
  virtual absl::Status AddInvite(std::string_view invite_hash,
                                 const InviteRecord& invite) = 0;
  // Atomically consumes the invite and stores `account` with the invite's
  // organisations (overwriting account.organisation_ids). NOT_FOUND for an
  // unknown or already used invite, FAILED_PRECONDITION for an expired one
  // (which is then deleted); nothing is stored on failure.
  virtual absl::StatusOr<AccountRecord> CreateWithInvite(
      std::string_view invite_hash, uint32_t now_hour,
      AccountRecord account) = 0;
  virtual absl::StatusOr<AccountRecord> Get(std::string_view account_id) = 0;
  // Trust persons that belong to `organisation_id`, ordered by account id.
  virtual absl::StatusOr<std::vector<AccountRecord>> ListTrustPersons(
      std::string_view organisation_id) = 0;

  struct Counts {
    uint64_t employees = 0;
    uint64_t trust_persons = 0;
    uint64_t open_invites = 0;  // not used and not expired at `now_hour`
  };
  virtual absl::StatusOr<Counts> Count(uint32_t now_hour) = 0;
  // Deletes invites expired at `now_hour`; returns how many.
  virtual absl::StatusOr<uint64_t> DeleteExpiredInvites(uint32_t now_hour) = 0;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;

  // Applies `upload` atomically and returns the one-time pre-key count after
  // it. FAILED_PRECONDITION for a first upload without registration id or
  // signed pre-key, or a different identity key without `replace_identity`;
  // RESOURCE_EXHAUSTED if more than `max_one_time_keys` would be held.
  // `replace_identity` drops all stored one-time pre-keys first.
  virtual absl::StatusOr<uint32_t> Upload(std::string_view account_id,
                                          const KeyUpload& upload,
                                          uint32_t max_one_time_keys) = 0;
  virtual absl::StatusOr<IdentityRecord> GetIdentity(
      std::string_view account_id) = 0;
  // The bundle for `account_id`, removing the returned one-time pre-key (the
  // one with the lowest id) durably before returning: no key is ever returned
  // twice, also under concurrency. NOT_FOUND if no keys were uploaded.
  virtual absl::StatusOr<PreKeyBundleRecord> TakeBundle(
      std::string_view account_id) = 0;
  virtual absl::StatusOr<uint32_t> CountOneTimePreKeys(
      std::string_view account_id) = 0;
};

class MailboxStore {
 public:
  virtual ~MailboxStore() = default;

  // Queues an envelope and returns its sequence number once it is durable
  // (synced to disk). Sequence numbers increase strictly per mailbox and are
  // never reused, also across restarts and after deletes; envelopes become
  // visible to Read in sequence order. RESOURCE_EXHAUSTED if the mailbox
  // already holds `max_queued` envelopes. Concurrent appends share fsyncs.
  virtual absl::StatusOr<uint64_t> Append(const MailboxId& mailbox,
                                          std::string content,
                                          uint32_t stored_hour,
                                          uint32_t max_queued) = 0;
  // Envelopes with seq > `after_seq`, in order, at most `max_count` of them
  // and stopping once `max_bytes` of content is reached (at least one is
  // returned if any exists).
  virtual absl::StatusOr<std::vector<StoredEnvelope>> Read(
      const MailboxId& mailbox, uint64_t after_seq, size_t max_count,
      size_t max_bytes) = 0;
  // Deletes the given envelopes; unknown seqs are ignored. Returns how many
  // were deleted.
  virtual absl::StatusOr<uint32_t> Delete(const MailboxId& mailbox,
                                          absl::Span<const uint64_t> seqs) = 0;

  // Append() and Delete() without blocking the caller: `done` runs once with
  // the same result, when it is durable. It may run on the calling thread
  // (before these return) or on a storage thread, so it must be quick and
  // must not call back into the store. The defaults run the blocking form.
  using AppendDone = absl::AnyInvocable<void(absl::StatusOr<uint64_t>) &&>;
  using DeleteDone = absl::AnyInvocable<void(absl::StatusOr<uint32_t>) &&>;
  virtual void AppendAsync(const MailboxId& mailbox, std::string content,
                           uint32_t stored_hour, uint32_t max_queued,
                           AppendDone done) {
    std::move(done)(
        Append(mailbox, std::move(content), stored_hour, max_queued));
  }
  virtual void DeleteAsync(const MailboxId& mailbox, std::vector<uint64_t> seqs,
                           DeleteDone done) {
    std::move(done)(Delete(mailbox, seqs));
  }
  // Deletes every envelope with stored_hour < `cutoff_hour`; returns how many.
  virtual absl::StatusOr<uint64_t> ExpireBefore(uint32_t cutoff_hour) = 0;
  // Envelopes queued across all mailboxes.
  virtual absl::StatusOr<uint64_t> CountQueued() = 0;
};

// ---- What the files hold ----
//
// Every implementation that keeps files holds them to this promise, because
// a copy of the data directory (a seized disk, a backup) must not tell more
// than SECURITY.md says it does:
//
// After Forget() returns, for every write that completed before it began,
//   1. no record keeps an order relative to another: nothing in any file
//      (sequence numbers, log files, the placement of records in files, file
//      numbers, the history of files) tells in which order records were
//      written, across accounts, keys and mailboxes;
//   2. nothing deleted is left in any file: no acknowledged or expired
//      envelope, no handed-out one-time pre-key, no used invite, no earlier
//      version of an overwritten record, and no marker naming what was
//      deleted;
//   3. no time finer than the hour is in any file (contents, metadata, names),
//      and no host name, no path and no log of the engine's own work;
// and Checkpoint() writes a copy that holds all three from the start.
// Writes after Forget() began may still show all of this until the next
// pass; the relay runs one so that no write stays unforgotten for longer
// than its forgetting window (server/forgetter.h).
//
// Per envelope the files then show (recipient mailbox, sequence number, hour
// stored, size); beyond that only the records listed in SECURITY.md.

// The relay's whole storage. Owns the stores it hands out; they live as long
// as the Storage.
class Storage {
 public:
  virtual ~Storage() = default;

  virtual OrganisationStore& organisations() = 0;
  virtual AccountStore& accounts() = 0;
  virtual KeyStore& keys() = 0;
  virtual MailboxStore& mailboxes() = 0;

  // Writes a consistent snapshot of the current records to `target_dir`,
  // which must not exist, held to "What the files hold" from the start: a
  // storage opened on it serves the same records. FAILED_PRECONDITION where
  // the implementation keeps nothing on disk.
  virtual absl::Status Checkpoint(const std::string& target_dir) = 0;
  // Bytes used on disk (0 for the in-memory implementation).
  virtual absl::StatusOr<uint64_t> BytesOnDisk() = 0;
  // Makes everything written so far durable; called before shutdown.
  virtual absl::Status Flush() = 0;
  // Rewrites the files so that every write completed before the call is held
  // to "What the files hold". Writes go on meanwhile. Blocks while the files
  // are rewritten (it takes longer the more is stored); one pass at a time.
  // Returns at once when nothing was written since the last pass began.
  virtual absl::Status Forget() = 0;
  // Whether anything was written since the last Forget() began; true before
  // the first one, since what an earlier run left is of unknown age.
  virtual bool HasUnforgottenWrites() = 0;
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_STORAGE_STORAGE_H_
