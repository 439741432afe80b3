// A local profile: a directory holding a RocksDB database whose keys and
// values are encrypted at rest under a passphrase. Format: docs/profile.md.
//
// Layout of the directory (mode 0700):
//   profile.meta  plaintext header: format version, Argon2id parameters, salt,
//                 database generation, and a random 32-byte master key
//                 wrapped with AES-256-GCM under the Argon2id key of the
//                 passphrase; SHA-256 checksum.
//   db/<gen>/     RocksDB of the generation the header names. Key = namespace
//                 byte | HMAC-SHA256(mac key, namespace | logical key); value
//                 = nonce | AES-256-GCM(value key, u32 key length | logical
//                 key | value | padding) with the RocksDB key as associated
//                 data, padded to a power of two of at least 64 bytes.
// A manifest record (version, record count, a multiset digest of every
// record) is rewritten in every batch and checked on Open(), so a record
// deleted, added or put back offline is noticed. Changing the passphrase
// re-encrypts everything under a new master key into a new generation.
#ifndef CONFIDANT_CLIENT_PROFILE_STORE_H_
#define CONFIDANT_CLIENT_PROFILE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "crypto/kdf.h"
#include "crypto/secret.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace confidant::client {

namespace internal {
class RecordKeys;
struct Manifest;
}  // namespace internal

// Name of the header file and of the directory holding the database
// generations inside a profile.
inline constexpr char kProfileHeaderFile[] = "profile.meta";
inline constexpr char kProfileDatabaseDir[] = "db";

// Key spaces of a profile. The numbers are stored on disk: never renumber or
// reuse one. 0 is invalid; unlisted numbers below 128 are free for new
// namespaces; 128..255 are internal to the store (the manifest) and refused by
// its public methods.
enum class Namespace : uint8_t {
  kMeta = 1,              // profile bookkeeping (format check record, settings)
  kIdentity = 2,          // our identity key pair and registration id
  kSession = 3,           // Signal session records per peer device
  kPreKey = 4,            // our one-time pre-key records
  kSignedPreKey = 5,      // our signed pre-key records
  kCase = 6,              // cases (status, category, notes)
  kMessage = 7,           // messages of cases
  kPeerIdentity = 8,      // trusted identity keys of peers
  kMessageIndex = 9,      // message id -> (case, sequence) (client/messenger.h)
  kRelayTrust = 10,       // pinned relay keys, our sender certificate
  kHeldEnvelope = 11,     // envelopes of a peer whose new key awaits a check
  kPendingIdentity = 12,  // a peer's proven new identity key, until accepted
  kOutbox = 13,           // messages and receipts still to send, in order
  // One-time pre-key id -> when the relay was first seen to have handed it
  // out (client/account.h); the key is deleted 90 days later if unused.
  kPreKeyHandout = 14,
  kCaseFile = 15,  // a trust person's registration of each case (casework.h)
  kBlockedSender = 16,  // account id -> BlockedSender (client/messenger.h)
};

// An encrypted key-value store in a profile directory. Every write is synced
// to disk before it returns. Thread-safe.
class ProfileStore {
 public:
  class Transaction;

  // Puts and deletes applied together by Write(): all or none. Holds the
  // plaintext until destroyed, then wipes it. Not thread-safe.
  class Batch {
   public:
    Batch() = default;
    ~Batch();
    Batch(Batch&&) = default;
    Batch& operator=(Batch&&) = default;

    // Adds a put of `value` under (`ns`, `key`).
    void Put(Namespace ns, std::string_view key, std::string_view value);
    // Adds a delete of (`ns`, `key`).
    void Delete(Namespace ns, std::string_view key);
    // The number of operations added.
    size_t size() const { return ops_.size(); }

   private:
    friend class ProfileStore;
    friend class Transaction;
    struct Op {
      Namespace ns;
      std::string key;
      std::optional<std::string> value;  // nullopt: delete
    };
    std::vector<Op> ops_;
  };

  // Stages every Put(), Delete() and Write() that the thread which made it
  // makes to this store, so that changes made deep inside a library (the
  // Signal session a decryption advances) commit in one batch with the
  // changes that depend on them (the message it revealed): both or neither.
  // Get() and Scan() on that thread see the staged changes; other threads do
  // not. Commit() writes everything staged; destroying it uncommitted
  // discards it. One per thread and store at a time; not thread-safe itself.
  class Transaction {
   public:
    explicit Transaction(ProfileStore& store);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Writes the staged operations, then those of `also`, in one Write().
    // Afterwards this thread writes directly again, whatever the outcome.
    absl::Status Commit(const Batch& also = Batch());

   private:
    friend class ProfileStore;
    // Whether (`ns`, `key`) was staged; then `value` holds it (nullopt: a
    // delete).
    bool Lookup(Namespace ns, std::string_view key,
                std::optional<std::string>& value) const;
    // Applies the staged operations on `ns` to `entries` (sorted by key).
    void MergeInto(
        Namespace ns,
        std::vector<std::pair<std::string, std::string>>& entries) const;

    // Adds one operation.
    void Stage(const Batch::Op& op);

    ProfileStore& store_;
    Batch staged_;
    // (namespace, key) -> index of its last operation in `staged_`.
    std::map<std::pair<Namespace, std::string>, size_t> last_;
    bool active_ = true;
  };

  // Creates a profile in `dir` (created with mode 0700 if missing; its parent
  // must exist) protected by `passphrase`. All or nothing: the header, which
  // marks a profile, appears last with one rename, so an interruption at any
  // point (error, crash, kill) leaves no profile, and the next Create() in
  // `dir` removes what the interrupted one left. ALREADY_EXISTS if `dir`
  // already holds a profile header, or a database that no interrupted
  // Create() left; UNAVAILABLE while another Create() works in `dir`;
  // INVALID_ARGUMENT for a passphrase client/passphrase_policy.h refuses
  // (message for the user) or parameters outside crypto/kdf.h's bounds.
  // Blocks for the Argon2id computation.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Create(
      const std::string& dir, std::string_view passphrase,
      const crypto::Argon2Params& params = crypto::kDefaultArgon2Params);

  // Opens the profile in `dir`. NOT_FOUND if `dir` holds no profile header;
  // DATA_LOSS for a corrupt or truncated header or a database that does not
  // belong to it, and DATA_LOSS("profile was modified outside Confidant: ...")
  // if records were deleted, added, replaced or put back behind its back;
  // FAILED_PRECONDITION for an unknown format version or a missing database;
  // PERMISSION_DENIED("wrong passphrase") for a wrong passphrase, in which
  // case nothing in `dir` is touched; UNAVAILABLE if the database is open
  // elsewhere. Once open, removes what an interrupted passphrase change left
  // behind and finishes an interrupted compaction of deleted key material.
  // Blocks for the Argon2id computation and reads every record once.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Open(
      const std::string& dir, std::string_view passphrase);

  // Deletes the (closed) profile in `dir`, leaving `dir` itself. The header
  // is first renamed back to its staged name, so an interruption leaves what
  // an interrupted Create() leaves, and the next Create() cleans it up.
  static absl::Status Remove(const std::string& dir);

  // The database directory that the header of the profile in `dir` names.
  // Reads the header only (no passphrase needed); errors as Open().
  static absl::StatusOr<std::string> DatabaseDir(const std::string& dir);

  // Compacts deleted key material away if some is pending (see Write()).
  ~ProfileStore();
  ProfileStore(const ProfileStore&) = delete;
  ProfileStore& operator=(const ProfileStore&) = delete;

  // Stores `value` under (`ns`, `key`), replacing any earlier value.
  absl::Status Put(Namespace ns, std::string_view key, std::string_view value);
  // The value under (`ns`, `key`), or nullopt. DATA_LOSS if the stored bytes
  // do not authenticate (tampered or corrupt).
  absl::StatusOr<std::optional<std::string>> Get(Namespace ns,
                                                 std::string_view key);
  // Deletes (`ns`, `key`); OK if absent.
  absl::Status Delete(Namespace ns, std::string_view key);
  // Every (logical key, value) of `ns`, sorted by key. DATA_LOSS if any entry
  // does not authenticate.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      Namespace ns);
  // Applies every operation of `batch` atomically, in order, together with
  // the updated manifest. A write that deletes or replaces key material
  // (kIdentity, kPreKey, kSignedPreKey, kPeerIdentity) compacts the old
  // records out of the database files before it returns; replaced session
  // records (kSession, every message) are compacted at most
  // kSessionForgetInterval later, on close, or on the next Open().
  // INVALID_ARGUMENT for namespace 0 or 128..255 (nothing written).
  absl::Status Write(const Batch& batch);

  // Re-encrypts every record under a new random master key into a new
  // database generation, writes a header wrapping that key under
  // `new_passphrase` (with `new_params`, or the current parameters), then
  // deletes the old generation: an old header and an old passphrase no longer
  // open anything written afterwards. A crash at any point leaves one
  // openable profile, under the old or the new passphrase. PERMISSION_DENIED
  // if `old_passphrase` is wrong and INVALID_ARGUMENT for a passphrase the
  // policy refuses or bad parameters (nothing written in either case). Blocks
  // for two Argon2id computations; other calls wait for the re-encryption.
  absl::Status ChangePassphrase(
      std::string_view old_passphrase, std::string_view new_passphrase,
      std::optional<crypto::Argon2Params> new_params = std::nullopt);

  // The profile directory.
  const std::string& dir() const { return dir_; }

  // How long replaced session records may stay in the database files while
  // the profile is open.
  static constexpr absl::Duration kSessionForgetInterval = absl::Minutes(1);

  // Testing only: the points of ChangePassphrase() where `crash`, if set and
  // returning true, stops it as a crash would (ChangePassphrase then returns
  // ABORTED and leaves the files as they are; the store must then only be
  // destroyed).
  enum class RotationPoint {
    kNewDatabaseWritten,  // new generation synced, header not yet replaced
    kHeaderReplaced,      // header names the new generation, old one remains
  };
  void SetRotationCrashForTesting(std::function<bool(RotationPoint)> crash)
      ABSL_LOCKS_EXCLUDED(header_mu_);

  // Testing only: the points of Create() where `crash`, if set and returning
  // true, stops it as a crash would (Create then returns ABORTED and leaves
  // the files as they are). Process-wide; nullptr clears it.
  enum class CreationPoint {
    kHeaderStaged,     // complete header under a temporary name, no database
    kDatabaseCreated,  // empty database created, check record not written
    kDatabaseWritten,  // database synced, header not yet published
    kHeaderPublished,  // header renamed into place, directory not yet synced
  };
  static void SetCreationCrashForTesting(
      std::function<bool(CreationPoint)> crash);

  // Testing only, after leveldb's fault-injection Env: every Put(), Delete()
  // and Write() first asks `fault` (if set) with the batch it is about to
  // apply; a non-OK answer is returned and nothing is written, as if the disk
  // had failed. Called with the store's lock held: `fault` must not call the
  // store.
  void SetWriteFaultForTesting(std::function<absl::Status(const Batch&)> fault)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  ProfileStore(std::string dir, uint64_t generation,
               std::unique_ptr<rocksdb::DB> db, crypto::SecretBytes master_key,
               std::unique_ptr<internal::RecordKeys> keys,
               std::unique_ptr<internal::Manifest> manifest);

  // The transaction the calling thread has open on this store, if any.
  Transaction* ActiveTransaction();

  // Removes database generations other than the current one, a temporary
  // header file and a staged one.
  void RemoveLeftovers() ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The forgetting pass, then the manifest with forget_pending cleared.
  absl::Status ForgetLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status WriteLocked(const Batch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Rotate(const crypto::SecretBytes& new_master_key,
                      const std::string& new_header)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(header_mu_, mu_);

  const std::string dir_;
  absl::Mutex header_mu_;  // serialises header rewrites
  std::function<bool(RotationPoint)> rotation_crash_
      ABSL_GUARDED_BY(header_mu_);
  // Writers (and rotation, forgetting) hold it exclusively, readers shared.
  absl::Mutex mu_ ABSL_ACQUIRED_AFTER(header_mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<rocksdb::DB> db_ ABSL_GUARDED_BY(mu_);
  crypto::SecretBytes master_key_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<internal::RecordKeys> keys_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<internal::Manifest> manifest_ ABSL_GUARDED_BY(mu_);
  absl::Time last_forget_ ABSL_GUARDED_BY(mu_);
  std::function<absl::Status(const Batch&)> write_fault_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_PROFILE_STORE_H_
