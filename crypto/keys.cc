#include "crypto/keys.h"

#include <curve.h>
#include <key_helper.h>
#include <ratchet.h>
#include <session_pre_key.h>
#include <signal_protocol.h>

#include <memory>

#include "crypto/errors.h"
#include "crypto/internal/signal_context.h"

namespace confidant::crypto {
namespace {

using internal::BufferPtr;
using internal::BufferView;
using internal::SecretBufferPtr;
using internal::SignalContext;
using internal::SignalPtr;

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

absl::Status Internal(std::string_view what) {
  return CryptoStatus(CryptoError::kInternal, what);
}

absl::StatusOr<SecretBytes> SerializePrivateKey(const ec_private_key* key) {
  signal_buffer* raw = nullptr;
  if (key == nullptr || ec_private_key_serialize(&raw, key) != SG_SUCCESS) {
    return Internal("cannot serialize a private key");
  }
  SecretBufferPtr buffer(raw);
  return SecretBytes::CopyOf(BufferView(buffer.get()));
}

struct KeyPairBytes {
  std::string public_key;
  SecretBytes private_key;
};

absl::StatusOr<KeyPairBytes> ToBytes(const ec_key_pair* pair) {
  if (pair == nullptr) return Internal("missing key pair");
  absl::StatusOr<std::string> pub =
      internal::SerializePublicKey(ec_key_pair_get_public(pair));
  if (!pub.ok()) return pub.status();
  absl::StatusOr<SecretBytes> priv =
      SerializePrivateKey(ec_key_pair_get_private(pair));
  if (!priv.ok()) return priv.status();
  return KeyPairBytes{*std::move(pub), *std::move(priv)};
}

absl::StatusOr<KeyPairBytes> GenerateKeyPair(signal_context* context) {
  ec_key_pair* raw = nullptr;
  if (curve_generate_key_pair(context, &raw) != SG_SUCCESS) {
    return Internal("cannot generate a key pair");
  }
  SignalPtr<ec_key_pair> pair(raw);
  return ToBytes(pair.get());
}

// The libsignal key pair for serialized parts; kInvalidKey if malformed.
absl::StatusOr<SignalPtr<ec_key_pair>> MakeKeyPair(
    std::string_view public_key, const SecretBytes& private_key,
    signal_context* context) {
  absl::StatusOr<SignalPtr<ec_public_key>> pub =
      internal::DecodePublicKey(public_key, context);
  if (!pub.ok()) return pub.status();
  absl::StatusOr<SignalPtr<ec_private_key>> priv =
      internal::DecodePrivateKey(private_key.view(), context);
  if (!priv.ok()) return priv.status();
  ec_key_pair* raw = nullptr;
  if (ec_key_pair_create(&raw, pub->get(), priv->get()) != SG_SUCCESS) {
    return Internal("cannot create a key pair");
  }
  return SignalPtr<ec_key_pair>(raw);
}

absl::StatusOr<std::string> SignWith(std::string_view private_key,
                                     std::string_view message) {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  absl::StatusOr<SignalPtr<ec_private_key>> key =
      internal::DecodePrivateKey(private_key, (*context)->get());
  if (!key.ok()) return key.status();
  signal_buffer* raw = nullptr;
  if (curve_calculate_signature((*context)->get(), &raw, key->get(),
                                Bytes(message), message.size()) != SG_SUCCESS) {
    return Internal("cannot sign");
  }
  BufferPtr signature(raw);
  return std::string(BufferView(signature.get()));
}

}  // namespace

absl::StatusOr<IdentityKeyPair> IdentityKeyPair::Generate() {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  absl::StatusOr<KeyPairBytes> pair = GenerateKeyPair((*context)->get());
  if (!pair.ok()) return pair.status();
  return IdentityKeyPair(std::move(pair->public_key),
                         std::move(pair->private_key));
}

absl::StatusOr<IdentityKeyPair> IdentityKeyPair::Deserialize(
    std::string_view blob) {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  ratchet_identity_key_pair* raw = nullptr;
  if (ratchet_identity_key_pair_deserialize(&raw, Bytes(blob), blob.size(),
                                            (*context)->get()) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "malformed identity key pair");
  }
  SignalPtr<ratchet_identity_key_pair> pair(raw);
  const ec_public_key* stored_public =
      ratchet_identity_key_pair_get_public(pair.get());
  const ec_private_key* private_key =
      ratchet_identity_key_pair_get_private(pair.get());
  if (stored_public == nullptr || private_key == nullptr) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "incomplete identity key pair");
  }
  ec_public_key* derived_raw = nullptr;
  if (curve_generate_public_key(&derived_raw, private_key) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "malformed identity private key");
  }
  SignalPtr<ec_public_key> derived(derived_raw);
  if (ec_public_key_compare(derived.get(), stored_public) != 0) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "identity public key does not match the private key");
  }
  absl::StatusOr<std::string> pub = internal::SerializePublicKey(stored_public);
  if (!pub.ok()) return pub.status();
  absl::StatusOr<SecretBytes> priv = SerializePrivateKey(private_key);
  if (!priv.ok()) return priv.status();
  return IdentityKeyPair(*std::move(pub), *std::move(priv));
}

IdentityKeyPair IdentityKeyPair::Clone() const {
  return IdentityKeyPair(public_key_, private_key_.Clone());
}

absl::StatusOr<SecretBytes> IdentityKeyPair::Serialize() const {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  absl::StatusOr<SignalPtr<ec_public_key>> pub =
      internal::DecodePublicKey(public_key_, (*context)->get());
  if (!pub.ok()) return pub.status();
  absl::StatusOr<SignalPtr<ec_private_key>> priv =
      internal::DecodePrivateKey(private_key_.view(), (*context)->get());
  if (!priv.ok()) return priv.status();
  ratchet_identity_key_pair* raw_pair = nullptr;
  if (ratchet_identity_key_pair_create(&raw_pair, pub->get(), priv->get()) !=
      SG_SUCCESS) {
    return Internal("cannot create an identity key pair");
  }
  SignalPtr<ratchet_identity_key_pair> pair(raw_pair);
  signal_buffer* raw = nullptr;
  if (ratchet_identity_key_pair_serialize(&raw, pair.get()) != SG_SUCCESS) {
    return Internal("cannot serialize an identity key pair");
  }
  SecretBufferPtr buffer(raw);
  return SecretBytes::CopyOf(BufferView(buffer.get()));
}

absl::StatusOr<std::string> IdentityKeyPair::Sign(
    std::string_view message) const {
  return SignWith(private_key_.view(), message);
}

absl::StatusOr<uint32_t> GenerateRegistrationId() {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  uint32_t id = 0;
  if (signal_protocol_key_helper_generate_registration_id(
          &id, /*extended_range=*/0, (*context)->get()) != SG_SUCCESS) {
    return Internal("cannot generate a registration id");
  }
  return id;
}

absl::StatusOr<SignedPreKeyPair> GenerateSignedPreKey(
    const IdentityKeyPair& identity, uint32_t id, absl::Time now) {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  absl::StatusOr<KeyPairBytes> pair = GenerateKeyPair((*context)->get());
  if (!pair.ok()) return pair.status();
  absl::StatusOr<std::string> signature =
      SignWith(identity.private_key().view(), pair->public_key);
  if (!signature.ok()) return signature.status();
  SignedPreKeyPair out;
  out.id = id;
  out.public_key = std::move(pair->public_key);
  out.private_key = std::move(pair->private_key);
  out.signature = *std::move(signature);
  out.created = absl::FromUnixMillis(absl::ToUnixMillis(now));
  return out;
}

absl::StatusOr<SecretBytes> SignedPreKeyPair::ToRecord() const {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  if (signature.size() != kSignatureSize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "a signature must be 64 bytes");
  }
  absl::StatusOr<SignalPtr<ec_key_pair>> pair =
      MakeKeyPair(public_key, private_key, (*context)->get());
  if (!pair.ok()) return pair.status();
  const int64_t millis = absl::ToUnixMillis(created);
  session_signed_pre_key* raw_record = nullptr;
  if (session_signed_pre_key_create(
          &raw_record, id, static_cast<uint64_t>(millis < 0 ? 0 : millis),
          pair->get(), Bytes(signature), signature.size()) != SG_SUCCESS) {
    return Internal("cannot create a signed pre-key record");
  }
  SignalPtr<session_signed_pre_key> record(raw_record);
  signal_buffer* raw = nullptr;
  if (session_signed_pre_key_serialize(&raw, record.get()) != SG_SUCCESS) {
    return Internal("cannot serialize a signed pre-key record");
  }
  SecretBufferPtr buffer(raw);
  return SecretBytes::CopyOf(BufferView(buffer.get()));
}

absl::StatusOr<SignedPreKeyPair> SignedPreKeyPair::FromRecord(
    std::string_view record) {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  session_signed_pre_key* raw = nullptr;
  if (session_signed_pre_key_deserialize(&raw, Bytes(record), record.size(),
                                         (*context)->get()) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "malformed signed pre-key record");
  }
  SignalPtr<session_signed_pre_key> key(raw);
  absl::StatusOr<KeyPairBytes> pair =
      ToBytes(session_signed_pre_key_get_key_pair(key.get()));
  if (!pair.ok()) return pair.status();
  SignedPreKeyPair out;
  out.id = session_signed_pre_key_get_id(key.get());
  out.public_key = std::move(pair->public_key);
  out.private_key = std::move(pair->private_key);
  out.signature =
      std::string(reinterpret_cast<const char*>(
                      session_signed_pre_key_get_signature(key.get())),
                  session_signed_pre_key_get_signature_len(key.get()));
  out.created = absl::FromUnixMillis(
      static_cast<int64_t>(session_signed_pre_key_get_timestamp(key.get())));
  return out;
}

bool NeedsRotation(absl::Time created, absl::Time now, absl::Duration period) {
  return now - created >= period || created - now > period;
}

uint32_t NextPreKeyId(uint32_t id) {
  return id >= 1 && id < kMaxPreKeyId ? id + 1 : 1;
}

absl::StatusOr<SecretBytes> OneTimePreKeyPair::ToRecord() const {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  absl::StatusOr<SignalPtr<ec_key_pair>> pair =
      MakeKeyPair(public_key, private_key, (*context)->get());
  if (!pair.ok()) return pair.status();
  session_pre_key* raw_record = nullptr;
  if (session_pre_key_create(&raw_record, id, pair->get()) != SG_SUCCESS) {
    return Internal("cannot create a pre-key record");
  }
  SignalPtr<session_pre_key> record(raw_record);
  signal_buffer* raw = nullptr;
  if (session_pre_key_serialize(&raw, record.get()) != SG_SUCCESS) {
    return Internal("cannot serialize a pre-key record");
  }
  SecretBufferPtr buffer(raw);
  return SecretBytes::CopyOf(BufferView(buffer.get()));
}

absl::StatusOr<OneTimePreKeyPair> OneTimePreKeyPair::FromRecord(
    std::string_view record) {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  session_pre_key* raw = nullptr;
  if (session_pre_key_deserialize(&raw, Bytes(record), record.size(),
                                  (*context)->get()) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidKey, "malformed pre-key record");
  }
  SignalPtr<session_pre_key> key(raw);
  absl::StatusOr<KeyPairBytes> pair =
      ToBytes(session_pre_key_get_key_pair(key.get()));
  if (!pair.ok()) return pair.status();
  OneTimePreKeyPair out;
  out.id = session_pre_key_get_id(key.get());
  out.public_key = std::move(pair->public_key);
  out.private_key = std::move(pair->private_key);
  return out;
}

absl::StatusOr<std::vector<OneTimePreKeyPair>> GenerateOneTimePreKeys(
    uint32_t start_id, uint32_t count) {
  if (count > kMaxPreKeyId) {
    return CryptoStatus(CryptoError::kTooLarge, "too many pre-keys at once");
  }
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  std::vector<OneTimePreKeyPair> keys;
  keys.reserve(count);
  uint32_t id = start_id >= 1 && start_id <= kMaxPreKeyId ? start_id : 1;
  for (uint32_t i = 0; i < count; ++i) {
    absl::StatusOr<KeyPairBytes> pair = GenerateKeyPair((*context)->get());
    if (!pair.ok()) return pair.status();
    OneTimePreKeyPair key;
    key.id = id;
    key.public_key = std::move(pair->public_key);
    key.private_key = std::move(pair->private_key);
    keys.push_back(std::move(key));
    id = NextPreKeyId(id);
  }
  return keys;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  if (signature.size() != kSignatureSize) return false;
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return false;
  absl::StatusOr<SignalPtr<ec_public_key>> key =
      internal::DecodePublicKey(public_key, (*context)->get());
  if (!key.ok()) return false;
  return curve_verify_signature(key->get(), Bytes(message), message.size(),
                                Bytes(signature), signature.size()) == 1;
}

}  // namespace confidant::crypto
