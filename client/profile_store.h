// A local profile: a directory holding a RocksDB database whose keys and
// values are encrypted at rest under a passphrase.
//
// Layout of the directory (mode 0700):
//   profile.meta  plaintext header: format version, Argon2id parameters, salt,
//                 and a random 32-byte master key wrapped with AES-256-GCM
//                 under the Argon2id key of the passphrase; SHA-256 checksum.
//   db/           RocksDB. Key = namespace byte | HMAC-SHA256(mac key,
//                 namespace | logical key); value = 12-byte random nonce |
//                 AES-256-GCM(value key, u32 key length | logical key |
//                 value) with the RocksDB key as associated data.
// The value and MAC keys are derived from the master key with HKDF-SHA256, so
// changing the passphrase rewrites only the header. Logical keys and values
// never reach the disk in clear; a prefix scan per namespace still works.
#ifndef CONFIDANT_CLIENT_PROFILE_STORE_H_
#define CONFIDANT_CLIENT_PROFILE_STORE_H_

#include <cstdint>
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
#include "crypto/kdf.h"
#include "crypto/secret.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace confidant::client {

// Name of the header file and of the database directory inside a profile.
inline constexpr char kProfileHeaderFile[] = "profile.meta";
inline constexpr char kProfileDatabaseDir[] = "db";

// Key spaces of a profile. The numbers are stored on disk: never renumber or
// reuse one. 0 is invalid; 13..127 are free for new namespaces; 128..255 are
// reserved for internal use of later format versions.
enum class Namespace : uint8_t {
  kMeta = 1,          // profile bookkeeping (format check record, settings)
  kIdentity = 2,      // our identity key pair and registration id
  kSession = 3,       // Signal session records per peer device
  kPreKey = 4,        // our one-time pre-key records
  kSignedPreKey = 5,  // our signed pre-key records
  kCase = 6,          // cases (status, category, notes)
  kMessage = 7,       // messages of cases
  kPeerIdentity = 8,  // trusted identity keys of peers
  // 9 is the message index (client/messenger.h).
  kRelayTrust = 10,       // pinned relay keys, our sender certificate
  kHeldEnvelope = 11,     // envelopes of a peer whose new key awaits a check
  kPendingIdentity = 12,  // a peer's proven new identity key, until accepted
};

// An encrypted key-value store in a profile directory. Every write is synced
// to disk before it returns. Thread-safe.
class ProfileStore {
 public:
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
    struct Op {
      Namespace ns;
      std::string key;
      std::optional<std::string> value;  // nullopt: delete
    };
    std::vector<Op> ops_;
  };

  // Creates a profile in `dir` (created with mode 0700 if missing; its parent
  // must exist) protected by `passphrase`. ALREADY_EXISTS if `dir` already
  // holds a profile header or database; INVALID_ARGUMENT for an empty
  // passphrase or parameters outside crypto/kdf.h's bounds. Blocks for the
  // Argon2id computation.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Create(
      const std::string& dir, std::string_view passphrase,
      const crypto::Argon2Params& params = crypto::kDefaultArgon2Params);

  // Opens the profile in `dir`. NOT_FOUND if `dir` holds no profile header;
  // DATA_LOSS for a corrupt or truncated header or a database that does not
  // belong to it; FAILED_PRECONDITION for an unknown format version or a
  // missing database; PERMISSION_DENIED("wrong passphrase") for a wrong
  // passphrase, in which case nothing in `dir` is touched; UNAVAILABLE if the
  // database is open elsewhere. Blocks for the Argon2id computation.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Open(
      const std::string& dir, std::string_view passphrase);

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
  // Applies every operation of `batch` atomically, in order.
  absl::Status Write(const Batch& batch);

  // Re-wraps the master key under `new_passphrase` (same Argon2id parameters,
  // fresh salt) and atomically replaces the header; the data is untouched.
  // PERMISSION_DENIED if `old_passphrase` is wrong (nothing written);
  // INVALID_ARGUMENT for an empty new passphrase.
  absl::Status ChangePassphrase(std::string_view old_passphrase,
                                std::string_view new_passphrase);

  // The profile directory.
  const std::string& dir() const { return dir_; }

 private:
  ProfileStore(std::string dir, std::unique_ptr<rocksdb::DB> db,
               crypto::SecretBytes master_key, crypto::SecretBytes value_key,
               crypto::SecretBytes mac_key);

  std::string StorageKey(Namespace ns, std::string_view key) const;
  absl::StatusOr<std::string> SealValue(std::string_view storage_key,
                                        std::string_view key,
                                        std::string_view value) const;
  // Decrypts a stored value into its logical key and value.
  absl::Status OpenValue(std::string_view storage_key, std::string_view sealed,
                         std::string& out_key, std::string& out_value) const;

  const std::string dir_;
  const std::unique_ptr<rocksdb::DB> db_;
  const crypto::SecretBytes master_key_;
  const crypto::SecretBytes value_key_;
  const crypto::SecretBytes mac_key_;
  absl::Mutex header_mu_;  // serialises header rewrites
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_PROFILE_STORE_H_
