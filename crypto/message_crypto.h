// The client's whole message path between an application plaintext and a
// relay envelope:
//
//   send:    pad (0x80, zeros to 160) -> Signal session encrypt -> seal to the
//            peer's identity key (our sender certificate inside, envelope
//            padded to a bucket)
//   receive: unseal with our identity key -> verify the sender certificate
//            against the pinned relay keys -> check that the certified
//            identity key is the one the Signal message carries (or the
//            session holds) -> Signal decrypt -> unpad
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
#include "crypto/sender_certificate.h"
#include "crypto/session.h"
#include "crypto/stores.h"

namespace confidant::crypto {

// The session address of a peer: its 16-byte account id as 32 lowercase hex
// characters, device 1.
Address PeerAddress(std::string_view account_id);

struct OpenedMessage {
  // 16 bytes, certified by the relay and proven by the Signal message.
  std::string sender_account_id;
  // The sender's identity key (33 bytes), as certified and proven.
  std::string sender_identity_key;
  // True when the sender proved a new identity key (its certificate checks
  // out and the message decrypts under that key), while another one is
  // trusted for it. Nothing was decrypted for real and `plaintext` is empty:
  // keep the envelope until the user accepts the new safety number
  // (SessionManager::AcceptIdentity), then Decrypt it again.
  bool identity_changed = false;
  std::string plaintext;
};

// Thread-safe if `sessions` and `certificates` are (they are). Both must
// outlive this object.
class MessageCrypto {
 public:
  // `own_account_id` (16 bytes) and `own_identity` are the local account's;
  // `certificates` holds the relay keys the client pinned.
  MessageCrypto(SessionManager& sessions,
                SenderCertificateVerifier& certificates,
                std::string own_account_id, IdentityKeyPair own_identity);

  // An envelope for `peer_account_id` (16 bytes), with whom a session must
  // exist (kNoSession otherwise), carrying `own_certificate` (the wire form
  // of our current sender certificate; kInvalidMessage if it is malformed or
  // names another account or identity key). kTooLarge if the padded,
  // encrypted and sealed message would exceed the relay's envelope cap.
  absl::StatusOr<std::string> Encrypt(std::string_view peer_account_id,
                                      std::string_view plaintext,
                                      std::string_view own_certificate);

  // Opens an envelope addressed to us that the relay stored at `stored_hour`
  // (hours since the Unix epoch; certificate validity is judged then).
  // Errors, beyond Unseal's and SessionManager::Decrypt's:
  //   kUnknownRelayKey, kBadSignature, kCertificateExpired  the sender
  //       certificate does not check out (RelayKeyRing::Verify);
  //   kSenderMismatch  the certified identity key is not the one the PreKey
  //       message carries or the session holds: someone sealed a message of
  //       one identity under another's certificate;
  //   kBadPadding      malformed inner padding.
  // A PreKey message whose certified key differs from the trusted one is
  // decrypted on trial (SessionManager::ProveIdentity): OK with
  // identity_changed if it proves the new key, else the trial's error. A
  // failure leaves the session usable for the next good message.
  absl::StatusOr<OpenedMessage> Decrypt(std::string_view envelope,
                                        uint32_t stored_hour);

  // Makes the ephemeral keys of the next few envelopes ahead of time, so
  // that Encrypt costs one scalar multiplication less. Call while idle; Encrypt
  // works without it. kInternal if OpenSSL fails.
  absl::Status PrepareForSending() { return ephemeral_keys_.Fill(); }

  const std::string& own_account_id() const { return own_account_id_; }
  const IdentityKeyPair& own_identity() const { return own_identity_; }

 private:
  SessionManager& sessions_;
  SenderCertificateVerifier& certificates_;
  const std::string own_account_id_;
  const IdentityKeyPair own_identity_;
  // Null only if own_identity_ is inconsistent; Decrypt then reports why.
  std::unique_ptr<Unsealer> unsealer_;
  EphemeralKeyPool ephemeral_keys_;
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_MESSAGE_CRYPTO_H_
