// The relay's signing keys for sender certificates
// (crypto/sender_certificate.h, docs/protocol.md §4): the public chain from key
// 1 on, and the seed of the current key only. They live in DATA_DIR/relay-keys
// (mode 0600), which docs/operations.md describes, with its backup and restore.
#ifndef CONFIDANT_SERVER_RELAY_KEYS_H_
#define CONFIDANT_SERVER_RELAY_KEYS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "crypto/sender_certificate.h"

namespace confidant::server {

// The key file's name, in the data directory and in a backup directory.
inline constexpr char kRelayKeysFileName[] = "relay-keys";

// Thread-safe. Signing and file writes happen under the lock: they are rare
// (a certificate per account per week, a rotation per year) and short.
class RelayKeys {
 public:
  struct OpenOptions {
    // The database already holds accounts. Without a key file, the relay
    // then refuses to make a new key 1 (their clients would refuse it)
    // unless `allow_new_root` is set.
    bool database_in_use = false;
    bool allow_new_root = false;
  };

  // Opens DATA_DIR/relay-keys, making key 1 (created at `clock`'s current
  // hour) if there is none. A key file found in DATA_DIR/db/ (a restored
  // backup) is moved into place if DATA_DIR has none, or removed if it is
  // an older state of the same chain. DATA_LOSS for a corrupt file or one
  // whose seed does not match its last key, FAILED_PRECONDITION for a file
  // that cannot be read or written, for two key files of different relays,
  // and for a missing key file beside a database in use. Never replaces an
  // existing key. `clock` must outlive the result.
  static absl::StatusOr<std::unique_ptr<RelayKeys>> Open(
      const std::string& data_dir, base::Clock& clock, OpenOptions options);
  static absl::StatusOr<std::unique_ptr<RelayKeys>> Open(
      const std::string& data_dir, base::Clock& clock) {
    return Open(data_dir, clock, OpenOptions());
  }

  // Keys kept in memory only, starting from key 1 made from `seed` (32
  // bytes) at the current hour: for tests and fuzzers. INVALID_ARGUMENT for
  // a seed of another size.
  static absl::StatusOr<std::unique_ptr<RelayKeys>> InMemory(
      base::Clock& clock, std::string_view seed);

  RelayKeys(const RelayKeys&) = delete;
  RelayKeys& operator=(const RelayKeys&) = delete;
  ~RelayKeys();

  // Every public key from key 1 to the current one, oldest first.
  std::vector<crypto::RelayPublicKey> Chain() const;
  // The fingerprint of key 1 (crypto::RelayKeyFingerprint).
  std::string RootFingerprint() const;

  // The wire form of a certificate for (`account_id`, `identity_key`) signed
  // by the current key, expiring crypto::kSenderCertificateLifetimeHours
  // after the current hour. INVALID_ARGUMENT for a malformed id or key.
  absl::StatusOr<std::string> Issue(std::string_view account_id,
                                    std::string_view identity_key) const;

  // Makes key n+1 (created now, endorsed by key n), writes the file, and only
  // then signs with it; key n's seed is gone from memory and file. On error
  // nothing changed. Returns the new key.
  absl::StatusOr<crypto::RelayPublicKey> Rotate();

  // Writes the key file as it is now to `path` (mode 0600, synced), for a
  // backup. FAILED_PRECONDITION if it cannot; keys kept in memory only have
  // nothing to copy (also FAILED_PRECONDITION).
  absl::Status WriteCopy(const std::string& path) const;

  // DATA_DIR/relay-keys; empty for keys kept in memory only.
  const std::string& path() const { return path_; }

 private:
  RelayKeys(base::Clock& clock, std::string path,
            std::vector<crypto::RelayPublicKey> chain,
            crypto::RelaySigningKey current);

  base::Clock& clock_;
  const std::string path_;
  mutable absl::Mutex mu_;
  std::vector<crypto::RelayPublicKey> chain_ ABSL_GUARDED_BY(mu_);
  crypto::RelaySigningKey current_ ABSL_GUARDED_BY(mu_);
};

// The key file format, exposed for tests: what RelayKeys writes, and its
// inverse. Parse checks the checksum, the chain's endorsements and that the
// seed belongs to the last key (DATA_LOSS otherwise, with a message).
crypto::SecretBytes SerializeRelayKeyFile(
    const std::vector<crypto::RelayPublicKey>& chain,
    const crypto::SecretBytes& seed);
struct RelayKeyFile {
  std::vector<crypto::RelayPublicKey> chain;
  crypto::SecretBytes seed;
};
absl::StatusOr<RelayKeyFile> ParseRelayKeyFile(std::string_view bytes);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_RELAY_KEYS_H_
