// The client's whole message path between an application plaintext and a
// relay envelope:
//
//   send:    pad (0x80, zeros to 160) -> Signal session encrypt -> seal to the
//            peer's identity key (sender inside, envelope padded to a bucket)
//   receive: unseal with our identity key -> check the sealed sender against
//            the session's peer -> Signal decrypt -> unpad
//
// Errors carry a CryptoError (crypto/errors.h); see Encrypt/Decrypt.
#ifndef CONFIDANT_CRYPTO_MESSAGE_CRYPTO_H_
#define CONFIDANT_CRYPTO_MESSAGE_CRYPTO_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/keys.h"
#include "crypto/sealed.h"
#include "crypto/session.h"
#include "crypto/stores.h"

namespace confidant::crypto {

// The session address of a peer: its 16-byte account id as 32 lowercase hex
// characters, device 1.
Address PeerAddress(std::string_view account_id);

struct OpenedMessage {
  std::string sender_account_id;  // 16 bytes, authenticated by the session
  std::string plaintext;
};

// Thread-safe if `sessions` is (it is). `sessions` must outlive this object.
class MessageCrypto {
 public:
  // `own_account_id` (16 bytes) and `own_identity` are the local account's.
  MessageCrypto(SessionManager& sessions, std::string own_account_id,
                IdentityKeyPair own_identity);

  // An envelope for `peer_account_id` (16 bytes), with whom a session must
  // exist (kNoSession otherwise). kTooLarge if the padded, encrypted and
  // sealed message would exceed the relay's envelope cap.
  absl::StatusOr<std::string> Encrypt(std::string_view peer_account_id,
                                      std::string_view plaintext);

  // Opens an envelope addressed to us. Beyond the errors of Unseal and
  // SessionManager::Decrypt: kSenderMismatch if the identity key sealed
  // inside differs from the one the session (or the PreKey message) holds
  // for that sender, kUntrustedIdentity if the sender's key changed, and
  // kBadPadding for malformed inner padding. A failure leaves the session
  // usable for the next good message.
  absl::StatusOr<OpenedMessage> Decrypt(std::string_view envelope);

  // Makes the ephemeral keys of the next few envelopes ahead of time, so
  // that Encrypt costs one scalar multiplication less. Call while idle; Encrypt
  // works without it. kInternal if OpenSSL fails.
  absl::Status PrepareForSending() { return ephemeral_keys_.Fill(); }

  const std::string& own_account_id() const { return own_account_id_; }
  const IdentityKeyPair& own_identity() const { return own_identity_; }

 private:
  SessionManager& sessions_;
  const std::string own_account_id_;
  const IdentityKeyPair own_identity_;
  // Null only if own_identity_ is inconsistent; Decrypt then reports why.
  std::unique_ptr<Unsealer> unsealer_;
  EphemeralKeyPool ephemeral_keys_;
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_MESSAGE_CRYPTO_H_
