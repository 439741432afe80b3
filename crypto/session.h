// Signal-protocol sessions: X3DH from a peer's pre-key bundle, then the
// Double Ratchet. Errors carry a CryptoError (crypto/errors.h):
//   kDuplicate          a message that was already decrypted (replay);
//   kTampered           the message does not authenticate under any state of
//                       the session (modified bytes, or a message of another
//                       session with this peer);
//   kInvalidMessage     bytes that do not parse as a Signal message;
//   kUntrustedIdentity  the peer's identity key differs from the stored one;
//   kInvalidKey         a malformed key, a bad signed pre-key signature, or a
//                       message naming a pre-key we do not have (never
//                       issued, or already used);
//   kNoSession          no session with that address;
//   kBadVersion         a legacy or unknown protocol version;
//   kInternal           failure of the library or of a store.
// A failed Decrypt() leaves the stored session as it was.
#ifndef CONFIDANT_CRYPTO_SESSION_H_
#define CONFIDANT_CRYPTO_SESSION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/stores.h"

namespace confidant::crypto {

// The message libsignal uses when the peer's identity key changed.
inline constexpr std::string_view kIdentityChangedMessage =
    "the peer's safety number changed; verify it before continuing";

// What a peer publishes so others can start a session with it.
struct PreKeyBundle {
  uint32_t registration_id = 0;
  uint32_t device_id = 1;
  std::string identity_key;  // 33 bytes
  uint32_t signed_pre_key_id = 0;
  std::string signed_pre_key_public;     // 33 bytes
  std::string signed_pre_key_signature;  // 64 bytes
  struct OneTimePreKey {
    uint32_t id = 0;
    std::string public_key;  // 33 bytes
  };
  std::optional<OneTimePreKey> one_time_pre_key;  // may be used up
};

enum class MessageType {
  kPreKey,  // starts a session (sent until the peer's first reply arrives)
  kSignal,  // a message of an established session
};

struct Ciphertext {
  MessageType type = MessageType::kSignal;
  std::string bytes;
};

// Encrypts and decrypts for one local identity, with its own libsignal
// context. All methods are thread-safe and serialised by one recursive lock,
// so each load -> ratchet -> store is atomic. Use exactly one manager per set
// of stores: two managers over the same stores would each load, ratchet and
// store the same session, and so reuse its chain keys.
class SessionManager {
 public:
  // The stores must outlive the manager.
  static absl::StatusOr<std::unique_ptr<SessionManager>> Create(
      IdentityStore& identities, SessionStore& sessions, PreKeyStore& pre_keys,
      SignedPreKeyStore& signed_pre_keys);

  ~SessionManager();
  SessionManager(const SessionManager&) = delete;
  SessionManager& operator=(const SessionManager&) = delete;

  // Runs X3DH with `bundle` and stores the new session for `address` (an
  // existing one is archived). Records the peer's identity key on first use.
  absl::Status StartSession(const Address& address, const PreKeyBundle& bundle);

  // True if a session with `address` exists (false also on store failure).
  bool HasSession(const Address& address);

  // kNoSession without a session. A kPreKey message until the peer replied.
  absl::StatusOr<Ciphertext> Encrypt(const Address& address,
                                     std::string_view plaintext);

  // A kPreKey message creates or refreshes the session and consumes the
  // one-time pre-key it names.
  absl::StatusOr<std::string> Decrypt(const Address& address,
                                      const Ciphertext& ciphertext);

  // The stored identity key (33 bytes) of `address`; kNoSession if none.
  absl::StatusOr<std::string> PeerIdentityKey(const Address& address);

  // Trusts `new_identity_key` for `address` after the user verified the new
  // safety number. If it differs from the stored key, the session with
  // `address` (bound to the old key) is deleted: start a new one or wait for
  // the peer's PreKey message.
  absl::Status AcceptIdentity(const Address& address,
                              std::string_view new_identity_key);

  // Decrypts a kPreKey message from `address` as if nothing were known about
  // that peer (no trusted identity, no session), against scratch copies of
  // the stores: nothing real is written and no one-time pre-key is used up.
  // OK proves that the sender holds the private half of the identity key the
  // message carries, since the message authenticates only under keys derived
  // from it; the errors are Decrypt()'s. Use it before staging a changed
  // identity key, which libsignal refuses before any cryptography.
  absl::Status ProveIdentity(const Address& address,
                             const Ciphertext& ciphertext);

  // The sender's identity key (33 bytes) carried by a kPreKey message, e.g.
  // to show the new safety number after kUntrustedIdentity. kInvalidMessage
  // for other messages.
  static absl::StatusOr<std::string> SenderIdentityKey(
      const Ciphertext& ciphertext);

 private:
  class Impl;
  explicit SessionManager(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SESSION_H_
