#include "crypto/message_crypto.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/hex.h"
#include "crypto/errors.h"
#include "crypto/padding.h"
#include "crypto/sealed.h"

namespace confidant::crypto {
namespace {

uint8_t WireType(MessageType type) {
  return type == MessageType::kPreKey ? kPreKeyMessageType : kSignalMessageType;
}

}  // namespace

Address PeerAddress(std::string_view account_id) {
  Address address;
  address.name = base::HexEncode(account_id);
  address.device_id = 1;
  return address;
}

MessageCrypto::MessageCrypto(SessionManager& sessions,
                             SenderCertificateVerifier& certificates,
                             std::string own_account_id,
                             IdentityKeyPair own_identity)
    : sessions_(sessions),
      certificates_(certificates),
      own_account_id_(std::move(own_account_id)),
      own_identity_(std::move(own_identity)) {
  absl::StatusOr<std::unique_ptr<Unsealer>> unsealer = Unsealer::Create(
      own_identity_.private_key(), own_identity_.public_key(), own_account_id_);
  if (unsealer.ok()) unsealer_ = *std::move(unsealer);
}

absl::StatusOr<std::string> MessageCrypto::Encrypt(
    std::string_view peer_account_id, std::string_view plaintext,
    std::string_view own_certificate) {
  if (peer_account_id.size() != kAccountIdSize) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "a peer account id is 16 bytes");
  }
  absl::StatusOr<SenderCertificate> certificate =
      ParseSenderCertificate(own_certificate);
  if (!certificate.ok()) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        absl::StrCat("our sender certificate is malformed: ",
                                     certificate.status().message()));
  }
  if (certificate->account_id != own_account_id_ ||
      certificate->identity_key != own_identity_.public_key()) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "our sender certificate names another account or "
                        "identity key; renew it");
  }
  const Address peer = PeerAddress(peer_account_id);
  absl::StatusOr<std::string> peer_identity = sessions_.PeerIdentityKey(peer);
  if (!peer_identity.ok()) return peer_identity.status();

  std::string padded = PadPlaintext(plaintext);
  absl::StatusOr<Ciphertext> ciphertext = sessions_.Encrypt(peer, padded);
  WipeString(padded);
  if (!ciphertext.ok()) return ciphertext.status();

  SealedContent content;
  content.sender = *std::move(certificate);
  content.message_type = WireType(ciphertext->type);
  content.message = std::move(ciphertext->bytes);
  return ephemeral_keys_.Seal(content, *peer_identity, peer_account_id);
}

absl::StatusOr<OpenedMessage> MessageCrypto::Decrypt(std::string_view envelope,
                                                     uint32_t stored_hour) {
  absl::StatusOr<SealedContent> content =
      unsealer_ != nullptr
          ? unsealer_->Unseal(envelope)
          : Unseal(envelope, own_identity_.private_key(),
                   own_identity_.public_key(), own_account_id_);
  if (!content.ok()) return content.status();

  // Who wrote it, as the relay certified.
  const SenderCertificate& certificate = content->sender;
  if (absl::Status s = certificates_.Verify(certificate, stored_hour);
      !s.ok()) {
    return s;
  }

  Ciphertext ciphertext;
  ciphertext.bytes = std::move(content->message);
  if (content->message_type == kPreKeyMessageType) {
    ciphertext.type = MessageType::kPreKey;
  } else if (content->message_type == kSignalMessageType) {
    ciphertext.type = MessageType::kSignal;
  } else {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "unknown message type inside the sealed envelope");
  }

  // The certified identity must be the one the Signal message is bound to:
  // the one a PreKey message carries, or the one stored for an existing
  // session.
  const Address sender = PeerAddress(certificate.account_id);
  absl::StatusOr<std::string> message_identity =
      ciphertext.type == MessageType::kPreKey
          ? SessionManager::SenderIdentityKey(ciphertext)
          : sessions_.PeerIdentityKey(sender);
  if (!message_identity.ok()) return message_identity.status();
  if (*message_identity != certificate.identity_key) {
    return CryptoStatus(CryptoError::kSenderMismatch,
                        "the certified sender does not match the identity of "
                        "the Signal message");
  }

  OpenedMessage out;
  out.sender_account_id = certificate.account_id;
  out.sender_identity_key = certificate.identity_key;
  if (ciphertext.type == MessageType::kPreKey) {
    absl::StatusOr<std::string> trusted = sessions_.PeerIdentityKey(sender);
    if (!trusted.ok() &&
        GetCryptoError(trusted.status()) != CryptoError::kNoSession) {
      return trusted.status();
    }
    if (trusted.ok() && *trusted != certificate.identity_key) {
      // A changed identity: libsignal would refuse it before any
      // cryptography. Stage it only if the sender proves it holds the key.
      if (absl::Status s = sessions_.ProveIdentity(sender, ciphertext);
          !s.ok()) {
        return s;
      }
      out.identity_changed = true;
      return out;
    }
  }

  absl::StatusOr<std::string> padded = sessions_.Decrypt(sender, ciphertext);
  if (!padded.ok()) return padded.status();
  absl::StatusOr<std::string> plaintext = UnpadPlaintext(*padded);
  WipeString(*padded);
  if (!plaintext.ok()) return plaintext.status();
  out.plaintext = *std::move(plaintext);
  return out;
}

}  // namespace confidant::crypto
