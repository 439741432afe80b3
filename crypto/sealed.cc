#include "crypto/sealed.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"
#include "base/openssl.h"
#include "crypto/errors.h"

namespace confidant::crypto {
namespace {

constexpr size_t kX25519KeySize = 32;
constexpr size_t kGcmKeySize = 32;
constexpr size_t kGcmNonceSize = 12;
constexpr size_t kGcmTagSize = 16;
constexpr char kHkdfInfo[] = "confidant sealed sender v2";

// version | ephemeral public key
constexpr size_t kHeaderSize = 1 + kX25519KeySize;
// sender certificate | message type | message length
constexpr size_t kInnerHeaderSize = kSenderCertificateSize + 1 + 4;
static_assert(kSealedOverhead == kHeaderSize + kInnerHeaderSize + kGcmTagSize);
static_assert(kEnvelopeBuckets.front() >= kSealedOverhead);

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

bool IsCurve25519PublicKey(std::string_view key) {
  return key.size() == kIdentityKeySize &&
         static_cast<uint8_t>(key[0]) == kCurve25519KeyType;
}

bool IsEnvelopeBucket(size_t size) {
  return std::find(kEnvelopeBuckets.begin(), kEnvelopeBuckets.end(), size) !=
         kEnvelopeBuckets.end();
}

absl::Status ValidateRecipient(std::string_view identity_key,
                               std::string_view account_id) {
  if (!IsCurve25519PublicKey(identity_key)) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "recipient identity key must be 33 bytes with a 0x05 "
                        "prefix");
  }
  if (account_id.size() != kAccountIdSize) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "recipient account id must be 16 bytes");
  }
  return absl::OkStatus();
}

absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> X25519PrivateKey(
    const SecretBytes& private_key) {
  if (private_key.size() != kCurve25519PrivateKeySize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "Curve25519 private key must be 32 bytes");
  }
  base::OpenSslPtr<EVP_PKEY> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size()));
  if (key == nullptr) {
    return CryptoStatus(CryptoError::kInternal,
                        "OpenSSL rejected an X25519 private key");
  }
  return key;
}

// `u` is the 32-byte Montgomery u coordinate.
absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> X25519PublicKey(std::string_view u) {
  base::OpenSslPtr<EVP_PKEY> key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_X25519, nullptr, Bytes(u), u.size()));
  if (key == nullptr) {
    return CryptoStatus(CryptoError::kInternal,
                        "OpenSSL rejected an X25519 public key");
  }
  return key;
}

absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  std::string out(kX25519KeySize, '\0');
  size_t size = out.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<uint8_t*>(out.data()),
                                  &size) != 1 ||
      size != kX25519KeySize) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot read an X25519 public key");
  }
  return out;
}

// X25519(own, peer). kInvalidKey if the peer's key has small order (the
// shared secret would be all zeros and independent of our key).
absl::StatusOr<SecretBytes> X25519(EVP_PKEY* own, EVP_PKEY* peer) {
  base::OpenSslPtr<EVP_PKEY_CTX> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  if (ctx == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1) {
    return CryptoStatus(CryptoError::kInternal, "X25519 setup failed");
  }
  SecretBytes out_shared(kX25519KeySize);
  size_t size = out_shared.size();
  // OpenSSL fails the derivation itself on an all-zero result.
  if (EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
      EVP_PKEY_derive(ctx.get(), out_shared.data(), &size) != 1 ||
      size != kX25519KeySize) {
    ERR_clear_error();
    return CryptoStatus(CryptoError::kInvalidKey,
                        "X25519 failed: small-order public key");
  }
  const std::array<uint8_t, kX25519KeySize> zeros{};
  if (CRYPTO_memcmp(out_shared.data(), zeros.data(), zeros.size()) == 0) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "X25519 gave an all-zero secret: small-order key");
  }
  return out_shared;
}

// HKDF-SHA256(ikm = shared, salt = ephemeral public || recipient identity
// key, info = kHkdfInfo) -> AES-256 key (32) || GCM nonce (12).
absl::StatusOr<SecretBytes> DeriveKeyAndNonce(
    const SecretBytes& shared, std::string_view ephemeral_public,
    std::string_view recipient_identity_key) {
  // Fetched once: fetching an algorithm per call is measurably slower.
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) {
    return CryptoStatus(CryptoError::kInternal, "HKDF is not available");
  }
  base::OpenSslPtr<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf));
  if (ctx == nullptr) {
    return CryptoStatus(CryptoError::kInternal, "HKDF setup failed");
  }
  const std::string salt = absl::StrCat(std::string(ephemeral_public),
                                        std::string(recipient_identity_key));
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        const_cast<uint8_t*>(shared.data()),
                                        shared.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                        const_cast<char*>(kHkdfInfo),
                                        sizeof(kHkdfInfo) - 1),
      OSSL_PARAM_construct_end(),
  };
  SecretBytes out_key_nonce(kGcmKeySize + kGcmNonceSize);
  if (EVP_KDF_derive(ctx.get(), out_key_nonce.data(), out_key_nonce.size(),
                     params) != 1) {
    return CryptoStatus(CryptoError::kInternal, "HKDF failed");
  }
  return out_key_nonce;
}

std::string AssociatedData(std::string_view ephemeral_public,
                           std::string_view recipient_identity_key,
                           std::string_view recipient_account_id) {
  std::string out_ad;
  out_ad.push_back(static_cast<char>(kSealedVersion));
  out_ad.append(ephemeral_public);
  out_ad.append(recipient_identity_key);
  out_ad.append(recipient_account_id);
  return out_ad;
}

absl::StatusOr<base::OpenSslPtr<EVP_CIPHER_CTX>> NewGcm(
    const SecretBytes& key_nonce, bool encrypt) {
  static EVP_CIPHER* const cipher =
      EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  base::OpenSslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (cipher == nullptr || ctx == nullptr ||
      EVP_CipherInit_ex2(ctx.get(), cipher, key_nonce.data(),
                         key_nonce.data() + kGcmKeySize, encrypt ? 1 : 0,
                         nullptr) != 1) {
    return CryptoStatus(CryptoError::kInternal, "AES-256-GCM setup failed");
  }
  return ctx;
}

bool GcmAddAd(EVP_CIPHER_CTX* ctx, std::string_view ad) {
  int len = 0;
  return EVP_CipherUpdate(ctx, nullptr, &len, Bytes(ad),
                          static_cast<int>(ad.size())) == 1;
}

absl::Status ValidateContent(const SealedContent& content) {
  if (content.sender.account_id.size() != kAccountIdSize ||
      !IsCurve25519PublicKey(content.sender.identity_key) ||
      content.sender.signature.size() != kRelaySignatureSize) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "the sender certificate is malformed");
  }
  if (content.message_type != kSignalMessageType &&
      content.message_type != kPreKeyMessageType) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        absl::StrCat("unknown message type ",
                                     static_cast<int>(content.message_type)));
  }
  if (content.message.size() > kMaxSealedMessageSize) {
    return CryptoStatus(CryptoError::kTooLarge,
                        absl::StrCat("message of ", content.message.size(),
                                     " bytes exceeds the sealed maximum of ",
                                     kMaxSealedMessageSize));
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// A fresh ephemeral key pair. OpenSSL computes the public key when the
// private key is imported: one scalar multiplication.
absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> NewEphemeralKey() {
  SecretBytes ephemeral_private(kCurve25519PrivateKeySize);
  if (RAND_bytes(ephemeral_private.data(),
                 static_cast<int>(ephemeral_private.size())) != 1) {
    return CryptoStatus(CryptoError::kInternal, "random generator failed");
  }
  return X25519PrivateKey(ephemeral_private);
}

// Seals with the ephemeral key `ephemeral`, which must never be used again.
absl::StatusOr<std::string> SealWithKey(const SealedContent& content,
                                        std::string_view recipient_identity_key,
                                        std::string_view recipient_account_id,
                                        EVP_PKEY* ephemeral) {
  absl::StatusOr<std::string> ephemeral_public = RawPublicKey(ephemeral);
  if (!ephemeral_public.ok()) return ephemeral_public.status();
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> recipient =
      X25519PublicKey(recipient_identity_key.substr(1));
  if (!recipient.ok()) return recipient.status();
  absl::StatusOr<SecretBytes> shared = X25519(ephemeral, recipient->get());
  if (!shared.ok()) return shared.status();
  absl::StatusOr<SecretBytes> key_nonce =
      DeriveKeyAndNonce(*shared, *ephemeral_public, recipient_identity_key);
  if (!key_nonce.ok()) return key_nonce.status();

  const size_t envelope_size =
      EnvelopeBucket(content.message.size() + kSealedOverhead);
  std::string inner;
  inner.reserve(envelope_size - kHeaderSize - kGcmTagSize);
  inner.append(content.sender.Serialize());
  inner.push_back(static_cast<char>(content.message_type));
  base::PutBigEndian(inner, static_cast<uint32_t>(content.message.size()), 4);
  inner.append(content.message);
  inner.resize(envelope_size - kHeaderSize - kGcmTagSize, '\0');

  absl::StatusOr<base::OpenSslPtr<EVP_CIPHER_CTX>> gcm =
      NewGcm(*key_nonce, /*encrypt=*/true);
  if (!gcm.ok()) return gcm.status();
  std::string out_envelope;
  out_envelope.reserve(envelope_size);
  out_envelope.push_back(static_cast<char>(kSealedVersion));
  out_envelope.append(*ephemeral_public);
  out_envelope.resize(envelope_size, '\0');
  uint8_t* ciphertext =
      reinterpret_cast<uint8_t*>(out_envelope.data()) + kHeaderSize;
  int len = 0;
  int final_len = 0;
  const bool ok =
      GcmAddAd(gcm->get(),
               AssociatedData(*ephemeral_public, recipient_identity_key,
                              recipient_account_id)) &&
      EVP_EncryptUpdate(gcm->get(), ciphertext, &len, Bytes(inner),
                        static_cast<int>(inner.size())) == 1 &&
      static_cast<size_t>(len) == inner.size() &&
      EVP_EncryptFinal_ex(gcm->get(), ciphertext + len, &final_len) == 1 &&
      final_len == 0 &&
      EVP_CIPHER_CTX_ctrl(gcm->get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize,
                          ciphertext + inner.size()) == 1;
  WipeString(inner);
  if (!ok) return CryptoStatus(CryptoError::kInternal, "AES-GCM failed");
  return out_envelope;
}

absl::Status ValidateSealInput(const SealedContent& content,
                               std::string_view recipient_identity_key,
                               std::string_view recipient_account_id) {
  if (absl::Status s =
          ValidateRecipient(recipient_identity_key, recipient_account_id);
      !s.ok()) {
    return s;
  }
  return ValidateContent(content);
}

}  // namespace

absl::StatusOr<std::string> Seal(const SealedContent& content,
                                 std::string_view recipient_identity_key,
                                 std::string_view recipient_account_id) {
  if (absl::Status s = ValidateSealInput(content, recipient_identity_key,
                                         recipient_account_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> ephemeral = NewEphemeralKey();
  if (!ephemeral.ok()) return ephemeral.status();
  return SealWithKey(content, recipient_identity_key, recipient_account_id,
                     ephemeral->get());
}

absl::StatusOr<std::string> SealWithEphemeral(
    const SealedContent& content, std::string_view recipient_identity_key,
    std::string_view recipient_account_id,
    const SecretBytes& ephemeral_private) {
  if (absl::Status s = ValidateSealInput(content, recipient_identity_key,
                                         recipient_account_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> ephemeral =
      X25519PrivateKey(ephemeral_private);
  if (!ephemeral.ok()) return ephemeral.status();
  return SealWithKey(content, recipient_identity_key, recipient_account_id,
                     ephemeral->get());
}

struct EphemeralKeyPool::Key {
  base::OpenSslPtr<EVP_PKEY> pkey;
};

EphemeralKeyPool::EphemeralKeyPool(size_t capacity) : capacity_(capacity) {}

EphemeralKeyPool::~EphemeralKeyPool() = default;

absl::Status EphemeralKeyPool::Fill() {
  while (size() < capacity_) {
    // Generated outside the lock: Seal may take keys meanwhile.
    absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> pkey = NewEphemeralKey();
    if (!pkey.ok()) return pkey.status();
    auto key = std::make_unique<Key>();
    key->pkey = *std::move(pkey);
    absl::MutexLock lock(&mu_);
    if (keys_.size() >= capacity_) break;
    keys_.push_back(std::move(key));
  }
  return absl::OkStatus();
}

size_t EphemeralKeyPool::size() const {
  absl::MutexLock lock(&mu_);
  return keys_.size();
}

std::unique_ptr<EphemeralKeyPool::Key> EphemeralKeyPool::Take() {
  absl::MutexLock lock(&mu_);
  if (keys_.empty()) return nullptr;
  std::unique_ptr<Key> key = std::move(keys_.back());
  keys_.pop_back();
  return key;
}

absl::StatusOr<std::string> EphemeralKeyPool::Seal(
    const SealedContent& content, std::string_view recipient_identity_key,
    std::string_view recipient_account_id) {
  if (absl::Status s = ValidateSealInput(content, recipient_identity_key,
                                         recipient_account_id);
      !s.ok()) {
    return s;
  }
  std::unique_ptr<Key> key = Take();
  if (key == nullptr) {  // empty pool: a fresh key, as Seal() makes
    absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> fresh = NewEphemeralKey();
    if (!fresh.ok()) return fresh.status();
    key = std::make_unique<Key>();
    key->pkey = *std::move(fresh);
  }
  return SealWithKey(content, recipient_identity_key, recipient_account_id,
                     key->pkey.get());
}

namespace {

// Length, version and bucket checks that need no key.
absl::Status CheckEnvelopeShape(std::string_view envelope) {
  if (envelope.empty()) {
    return CryptoStatus(CryptoError::kTruncated, "envelope is empty");
  }
  if (envelope.size() > kMaxEnvelopeSize) {
    return CryptoStatus(
        CryptoError::kTooLarge,
        absl::StrCat("envelope of ", envelope.size(),
                     " bytes exceeds the cap of ", kMaxEnvelopeSize));
  }
  if (static_cast<uint8_t>(envelope[0]) != kSealedVersion) {
    return CryptoStatus(
        CryptoError::kBadVersion,
        absl::StrCat("unknown sealed envelope version ",
                     static_cast<int>(static_cast<uint8_t>(envelope[0]))));
  }
  if (envelope.size() < kEnvelopeBuckets.front()) {
    return CryptoStatus(CryptoError::kTruncated,
                        absl::StrCat("envelope of ", envelope.size(),
                                     " bytes is shorter than the smallest "
                                     "bucket"));
  }
  if (!IsEnvelopeBucket(envelope.size())) {
    return CryptoStatus(CryptoError::kBadPadding,
                        absl::StrCat("envelope length ", envelope.size(),
                                     " is not a bucket size"));
  }

  return absl::OkStatus();
}

// The recipient's X25519 key, checked against its published identity key.
absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> RecipientKey(
    const SecretBytes& recipient_identity_private,
    std::string_view recipient_identity_key) {
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> own =
      X25519PrivateKey(recipient_identity_private);
  if (!own.ok()) return own.status();
  absl::StatusOr<std::string> own_public = RawPublicKey(own->get());
  if (!own_public.ok()) return own_public.status();
  if (*own_public != recipient_identity_key.substr(1)) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "recipient private key does not match the recipient "
                        "identity key");
  }

  return std::move(*own);
}

absl::StatusOr<SealedContent> OpenEnvelope(
    std::string_view envelope, EVP_PKEY* own,
    std::string_view recipient_identity_key,
    std::string_view recipient_account_id) {
  const std::string_view ephemeral_public = envelope.substr(1, kX25519KeySize);
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> ephemeral =
      X25519PublicKey(ephemeral_public);
  if (!ephemeral.ok()) return ephemeral.status();
  absl::StatusOr<SecretBytes> shared = X25519(own, ephemeral->get());
  if (!shared.ok()) return shared.status();
  absl::StatusOr<SecretBytes> key_nonce =
      DeriveKeyAndNonce(*shared, ephemeral_public, recipient_identity_key);
  if (!key_nonce.ok()) return key_nonce.status();

  const std::string_view ciphertext =
      envelope.substr(kHeaderSize, envelope.size() - kHeaderSize - kGcmTagSize);
  std::array<uint8_t, kGcmTagSize> tag;
  std::copy_n(Bytes(envelope.substr(envelope.size() - kGcmTagSize)),
              kGcmTagSize, tag.begin());

  absl::StatusOr<base::OpenSslPtr<EVP_CIPHER_CTX>> gcm =
      NewGcm(*key_nonce, /*encrypt=*/false);
  if (!gcm.ok()) return gcm.status();
  std::string inner(ciphertext.size(), '\0');
  uint8_t* plaintext = reinterpret_cast<uint8_t*>(inner.data());
  int len = 0;
  int final_len = 0;
  if (!GcmAddAd(gcm->get(),
                AssociatedData(ephemeral_public, recipient_identity_key,
                               recipient_account_id)) ||
      EVP_DecryptUpdate(gcm->get(), plaintext, &len, Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(gcm->get(), EVP_CTRL_GCM_SET_TAG, kGcmTagSize,
                          tag.data()) != 1) {
    WipeString(inner);
    return CryptoStatus(CryptoError::kInternal, "AES-GCM failed");
  }
  if (EVP_DecryptFinal_ex(gcm->get(), plaintext + len, &final_len) != 1) {
    WipeString(inner);
    ERR_clear_error();
    return CryptoStatus(CryptoError::kTampered,
                        "envelope failed authentication: modified, or sealed "
                        "for another recipient");
  }

  // Authentic from here on; a malformed inner layer is a faulty sender.
  const std::string_view view = inner;
  SealedContent out_content;
  size_t pos = 0;
  absl::StatusOr<SenderCertificate> certificate =
      ParseSenderCertificate(view.substr(pos, kSenderCertificateSize));
  pos += kSenderCertificateSize;
  out_content.message_type = static_cast<uint8_t>(view[pos]);
  pos += 1;
  const uint32_t message_size =
      static_cast<uint32_t>(base::GetBigEndian(view.substr(pos, 4), 4));
  pos += 4;

  absl::Status status;
  if (message_size > view.size() - pos) {
    status = CryptoStatus(CryptoError::kBadPadding,
                          "message length exceeds the envelope");
  } else if (EnvelopeBucket(message_size + kSealedOverhead) !=
             envelope.size()) {
    status = CryptoStatus(CryptoError::kBadPadding,
                          "envelope is not the smallest bucket for its "
                          "message");
  } else if (std::any_of(view.begin() + pos + message_size, view.end(),
                         [](char c) { return c != '\0'; })) {
    status = CryptoStatus(CryptoError::kBadPadding,
                          "non-zero byte in the envelope padding");
  } else if (!certificate.ok()) {
    status = CryptoStatus(CryptoError::kInvalidMessage,
                          absl::StrCat("malformed sender certificate: ",
                                       certificate.status().message()));
  } else if (out_content.message_type != kSignalMessageType &&
             out_content.message_type != kPreKeyMessageType) {
    status =
        CryptoStatus(CryptoError::kInvalidMessage,
                     absl::StrCat("unknown message type ",
                                  static_cast<int>(out_content.message_type)));
  }
  if (status.ok()) {
    out_content.sender = *std::move(certificate);
    out_content.message = std::string(view.substr(pos, message_size));
  }
  WipeString(inner);
  if (!status.ok()) return status;
  return out_content;
}

}  // namespace

absl::StatusOr<SealedContent> Unseal(
    std::string_view envelope, const SecretBytes& recipient_identity_private,
    std::string_view recipient_identity_key,
    std::string_view recipient_account_id) {
  if (absl::Status s =
          ValidateRecipient(recipient_identity_key, recipient_account_id);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckEnvelopeShape(envelope); !s.ok()) return s;
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> own =
      RecipientKey(recipient_identity_private, recipient_identity_key);
  if (!own.ok()) return own.status();
  return OpenEnvelope(envelope, own->get(), recipient_identity_key,
                      recipient_account_id);
}

struct Unsealer::Key {
  base::OpenSslPtr<EVP_PKEY> pkey;
};

absl::StatusOr<std::unique_ptr<Unsealer>> Unsealer::Create(
    const SecretBytes& recipient_identity_private,
    std::string_view recipient_identity_key,
    std::string_view recipient_account_id) {
  if (absl::Status s =
          ValidateRecipient(recipient_identity_key, recipient_account_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> own =
      RecipientKey(recipient_identity_private, recipient_identity_key);
  if (!own.ok()) return own.status();
  auto key = std::make_unique<Key>();
  key->pkey = *std::move(own);
  return std::unique_ptr<Unsealer>(
      new Unsealer(std::move(key), std::string(recipient_identity_key),
                   std::string(recipient_account_id)));
}

Unsealer::Unsealer(std::unique_ptr<Key> key, std::string identity_key,
                   std::string account_id)
    : key_(std::move(key)),
      identity_key_(std::move(identity_key)),
      account_id_(std::move(account_id)) {}

Unsealer::~Unsealer() = default;

absl::StatusOr<SealedContent> Unsealer::Unseal(
    std::string_view envelope) const {
  if (absl::Status s = CheckEnvelopeShape(envelope); !s.ok()) return s;
  return OpenEnvelope(envelope, key_->pkey.get(), identity_key_, account_id_);
}

}  // namespace confidant::crypto
