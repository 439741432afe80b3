#include "crypto/message_crypto.h"

#include <utility>

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
  static constexpr char kHex[] = "0123456789abcdef";
  Address address;
  for (unsigned char c : account_id) {
    address.name.push_back(kHex[c >> 4]);
    address.name.push_back(kHex[c & 0xf]);
  }
  address.device_id = 1;
  return address;
}

MessageCrypto::MessageCrypto(SessionManager& sessions,
                             std::string own_account_id,
                             IdentityKeyPair own_identity)
    : sessions_(sessions),
      own_account_id_(std::move(own_account_id)),
      own_identity_(std::move(own_identity)) {
  absl::StatusOr<std::unique_ptr<Unsealer>> unsealer = Unsealer::Create(
      own_identity_.private_key(), own_identity_.public_key(), own_account_id_);
  if (unsealer.ok()) unsealer_ = *std::move(unsealer);
}

absl::StatusOr<std::string> MessageCrypto::Encrypt(
    std::string_view peer_account_id, std::string_view plaintext) {
  if (peer_account_id.size() != kAccountIdSize) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "a peer account id is 16 bytes");
  }
  const Address peer = PeerAddress(peer_account_id);
  absl::StatusOr<std::string> peer_identity = sessions_.PeerIdentityKey(peer);
  if (!peer_identity.ok()) return peer_identity.status();

  std::string padded = PadPlaintext(plaintext);
  absl::StatusOr<Ciphertext> ciphertext = sessions_.Encrypt(peer, padded);
  WipeString(padded);
  if (!ciphertext.ok()) return ciphertext.status();

  SealedContent content;
  content.sender_account_id = own_account_id_;
  content.sender_identity_key = own_identity_.public_key();
  content.message_type = WireType(ciphertext->type);
  content.message = std::move(ciphertext->bytes);
  return ephemeral_keys_.Seal(content, *peer_identity, peer_account_id);
}

absl::StatusOr<OpenedMessage> MessageCrypto::Decrypt(
    std::string_view envelope) {
  absl::StatusOr<SealedContent> content =
      unsealer_ != nullptr
          ? unsealer_->Unseal(envelope)
          : Unseal(envelope, own_identity_.private_key(),
                   own_identity_.public_key(), own_account_id_);
  if (!content.ok()) return content.status();

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

  // The sealed sender must be the identity the session is bound to: the one
  // the PreKey message carries, or the one stored for an existing session.
  const Address sender = PeerAddress(content->sender_account_id);
  absl::StatusOr<std::string> expected_identity =
      ciphertext.type == MessageType::kPreKey
          ? SessionManager::SenderIdentityKey(ciphertext)
          : sessions_.PeerIdentityKey(sender);
  if (!expected_identity.ok()) return expected_identity.status();
  if (*expected_identity != content->sender_identity_key) {
    return CryptoStatus(
        CryptoError::kSenderMismatch,
        "the sealed sender does not match the identity of the session");
  }

  absl::StatusOr<std::string> padded = sessions_.Decrypt(sender, ciphertext);
  if (!padded.ok()) return padded.status();
  absl::StatusOr<std::string> plaintext = UnpadPlaintext(*padded);
  WipeString(*padded);
  if (!plaintext.ok()) return plaintext.status();
  return OpenedMessage{std::move(content->sender_account_id),
                       *std::move(plaintext)};
}

}  // namespace confidant::crypto
