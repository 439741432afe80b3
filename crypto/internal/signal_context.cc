#include "crypto/internal/signal_context.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <climits>
#include <utility>
#include <vector>

#include "base/openssl.h"
#include "crypto/errors.h"

namespace confidant::crypto::internal {
namespace {

constexpr size_t kAesBlockSize = 16;
constexpr size_t kHmacSha256Size = 32;

// OpenSSL algorithms fetched once per process; fetched objects are immutable
// and safe to share between threads.
struct Algorithms {
  EVP_MAC* hmac = nullptr;
  EVP_MD* sha512 = nullptr;
  EVP_CIPHER* cbc[3] = {nullptr, nullptr, nullptr};  // AES-128/192/256
  EVP_CIPHER* ctr[3] = {nullptr, nullptr, nullptr};

  bool complete() const {
    for (int i = 0; i < 3; ++i) {
      if (cbc[i] == nullptr || ctr[i] == nullptr) return false;
    }
    return hmac != nullptr && sha512 != nullptr;
  }
};

const Algorithms& GetAlgorithms() {
  static const Algorithms* const algorithms = [] {
    auto* a = new Algorithms;
    a->hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    a->sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    const char* cbc_names[3] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
    const char* ctr_names[3] = {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
    for (int i = 0; i < 3; ++i) {
      a->cbc[i] = EVP_CIPHER_fetch(nullptr, cbc_names[i], nullptr);
      a->ctr[i] = EVP_CIPHER_fetch(nullptr, ctr_names[i], nullptr);
    }
    return a;
  }();
  return *algorithms;
}

int Random(uint8_t* data, size_t len, void*) {
  while (len > 0) {
    const int chunk = len > INT_MAX ? INT_MAX : static_cast<int>(len);
    if (RAND_bytes(data, chunk) != 1) return SG_ERR_UNKNOWN;
    data += chunk;
    len -= static_cast<size_t>(chunk);
  }
  return SG_SUCCESS;
}

int HmacInit(void** hmac_context, const uint8_t* key, size_t key_len, void*) {
  const Algorithms& algorithms = GetAlgorithms();
  base::OpenSslPtr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(algorithms.hmac));
  if (ctx == nullptr) return SG_ERR_NOMEM;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  // A null key means "reuse the previous key" to OpenSSL: pass a real
  // pointer even for an empty key.
  static const uint8_t kEmpty = 0;
  if (EVP_MAC_init(ctx.get(), key != nullptr ? key : &kEmpty, key_len,
                   params) != 1) {
    return SG_ERR_UNKNOWN;
  }
  *hmac_context = ctx.release();
  return SG_SUCCESS;
}

int HmacUpdate(void* hmac_context, const uint8_t* data, size_t data_len,
               void*) {
  if (data_len == 0) return SG_SUCCESS;
  return EVP_MAC_update(static_cast<EVP_MAC_CTX*>(hmac_context), data,
                        data_len) == 1
             ? SG_SUCCESS
             : SG_ERR_UNKNOWN;
}

int HmacFinal(void* hmac_context, signal_buffer** output, void*) {
  uint8_t mac[kHmacSha256Size];
  size_t mac_len = 0;
  if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(hmac_context), mac, &mac_len,
                    sizeof(mac)) != 1) {
    return SG_ERR_UNKNOWN;
  }
  signal_buffer* out = signal_buffer_create(mac, mac_len);
  OPENSSL_cleanse(mac, sizeof(mac));
  if (out == nullptr) return SG_ERR_NOMEM;
  *output = out;
  return SG_SUCCESS;
}

void HmacCleanup(void* hmac_context, void*) {
  EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(hmac_context));
}

int Sha512Init(void** digest_context, void*) {
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) return SG_ERR_NOMEM;
  if (EVP_DigestInit_ex2(ctx.get(), GetAlgorithms().sha512, nullptr) != 1) {
    return SG_ERR_UNKNOWN;
  }
  *digest_context = ctx.release();
  return SG_SUCCESS;
}

int Sha512Update(void* digest_context, const uint8_t* data, size_t data_len,
                 void*) {
  return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(digest_context), data,
                          data_len) == 1
             ? SG_SUCCESS
             : SG_ERR_UNKNOWN;
}

// Leaves the context initialised again: libsignal reuses it (fingerprints).
int Sha512Final(void* digest_context, signal_buffer** output, void*) {
  auto* ctx = static_cast<EVP_MD_CTX*>(digest_context);
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_DigestFinal_ex(ctx, digest, &digest_len) != 1) return SG_ERR_UNKNOWN;
  if (EVP_DigestInit_ex2(ctx, GetAlgorithms().sha512, nullptr) != 1) {
    return SG_ERR_UNKNOWN;
  }
  signal_buffer* out = signal_buffer_create(digest, digest_len);
  if (out == nullptr) return SG_ERR_NOMEM;
  *output = out;
  return SG_SUCCESS;
}

void Sha512Cleanup(void* digest_context, void*) {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(digest_context));
}

const EVP_CIPHER* SelectCipher(int cipher, size_t key_len) {
  int index;
  switch (key_len) {
    case 16:
      index = 0;
      break;
    case 24:
      index = 1;
      break;
    case 32:
      index = 2;
      break;
    default:
      return nullptr;
  }
  const Algorithms& algorithms = GetAlgorithms();
  switch (cipher) {
    case SG_CIPHER_AES_CBC_PKCS5:
      return algorithms.cbc[index];
    case SG_CIPHER_AES_CTR_NOPADDING:
      return algorithms.ctr[index];
    default:
      return nullptr;
  }
}

int AesCrypt(bool encrypt, signal_buffer** output, int cipher,
             const uint8_t* key, size_t key_len, const uint8_t* iv,
             size_t iv_len, const uint8_t* input, size_t input_len) {
  const EVP_CIPHER* evp_cipher = SelectCipher(cipher, key_len);
  if (evp_cipher == nullptr || iv_len != kAesBlockSize) return SG_ERR_INVAL;
  if (input_len > static_cast<size_t>(INT_MAX) - kAesBlockSize) {
    return SG_ERR_INVAL;
  }
  base::OpenSslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) return SG_ERR_NOMEM;
  if (EVP_CipherInit_ex2(ctx.get(), evp_cipher, key, iv, encrypt ? 1 : 0,
                         nullptr) != 1) {
    return SG_ERR_UNKNOWN;
  }
  // Plaintext passes through this buffer: wipe it whatever happens.
  std::vector<uint8_t> out(input_len + kAesBlockSize);
  struct Wiper {
    std::vector<uint8_t>& bytes;
    ~Wiper() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  } wiper{out};
  int update_len = 0;
  int final_len = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &update_len, input,
                       static_cast<int>(input_len)) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + update_len, &final_len) != 1) {
    return SG_ERR_UNKNOWN;
  }
  signal_buffer* result = signal_buffer_create(
      out.data(), static_cast<size_t>(update_len) + final_len);
  if (result == nullptr) return SG_ERR_NOMEM;
  *output = result;
  return SG_SUCCESS;
}

int Encrypt(signal_buffer** output, int cipher, const uint8_t* key,
            size_t key_len, const uint8_t* iv, size_t iv_len,
            const uint8_t* plaintext, size_t plaintext_len, void*) {
  return AesCrypt(true, output, cipher, key, key_len, iv, iv_len, plaintext,
                  plaintext_len);
}

int Decrypt(signal_buffer** output, int cipher, const uint8_t* key,
            size_t key_len, const uint8_t* iv, size_t iv_len,
            const uint8_t* ciphertext, size_t ciphertext_len, void*) {
  return AesCrypt(false, output, cipher, key, key_len, iv, iv_len, ciphertext,
                  ciphertext_len);
}

// Confidant has no group messaging: the sender-key callbacks refuse every
// call. They exist because libsignal aborts on an unset callback.
int StoreSenderKey(const signal_protocol_sender_key_name*, uint8_t*, size_t,
                   uint8_t*, size_t, void*) {
  return SG_ERR_INVAL;
}
int LoadSenderKey(signal_buffer**, signal_buffer**,
                  const signal_protocol_sender_key_name*, void*) {
  return 0;
}

}  // namespace

std::string_view BufferView(const signal_buffer* buffer) {
  if (buffer == nullptr) return {};
  return std::string_view(
      reinterpret_cast<const char*>(signal_buffer_const_data(buffer)),
      signal_buffer_len(buffer));
}

absl::StatusOr<SignalPtr<ec_public_key>> DecodePublicKey(
    std::string_view public_key, signal_context* context) {
  constexpr size_t kSerializedSize = 33;
  constexpr unsigned char kDjbType = 0x05;
  if (public_key.size() != kSerializedSize ||
      static_cast<unsigned char>(public_key[0]) != kDjbType) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "a public key must be 33 bytes starting with 0x05");
  }
  ec_public_key* key = nullptr;
  if (curve_decode_point(&key,
                         reinterpret_cast<const uint8_t*>(public_key.data()),
                         public_key.size(), context) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidKey, "malformed public key");
  }
  return SignalPtr<ec_public_key>(key);
}

absl::StatusOr<SignalPtr<ec_private_key>> DecodePrivateKey(
    std::string_view private_key, signal_context* context) {
  constexpr size_t kPrivateSize = 32;
  if (private_key.size() != kPrivateSize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "a private key must be 32 bytes");
  }
  ec_private_key* key = nullptr;
  if (curve_decode_private_point(
          &key, reinterpret_cast<const uint8_t*>(private_key.data()),
          private_key.size(), context) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidKey, "malformed private key");
  }
  return SignalPtr<ec_private_key>(key);
}

absl::StatusOr<std::string> SerializePublicKey(const ec_public_key* key) {
  signal_buffer* raw = nullptr;
  if (key == nullptr || ec_public_key_serialize(&raw, key) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot serialize a public key");
  }
  BufferPtr buffer(raw);
  return std::string(BufferView(buffer.get()));
}

absl::StatusOr<std::unique_ptr<SignalContext>> SignalContext::Create() {
  if (!GetAlgorithms().complete()) {
    return CryptoStatus(CryptoError::kInternal,
                        "OpenSSL lacks an algorithm libsignal needs");
  }
  std::unique_ptr<SignalContext> owner(new SignalContext);
  if (signal_context_create(&owner->context_, owner.get()) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot create the libsignal context");
  }
  signal_crypto_provider provider = {};
  provider.random_func = Random;
  provider.hmac_sha256_init_func = HmacInit;
  provider.hmac_sha256_update_func = HmacUpdate;
  provider.hmac_sha256_final_func = HmacFinal;
  provider.hmac_sha256_cleanup_func = HmacCleanup;
  provider.sha512_digest_init_func = Sha512Init;
  provider.sha512_digest_update_func = Sha512Update;
  provider.sha512_digest_final_func = Sha512Final;
  provider.sha512_digest_cleanup_func = Sha512Cleanup;
  provider.encrypt_func = Encrypt;
  provider.decrypt_func = Decrypt;
  provider.user_data = nullptr;
  if (signal_context_set_crypto_provider(owner->context_, &provider) !=
          SG_SUCCESS ||
      signal_context_set_locking_functions(owner->context_, LockCallback,
                                           UnlockCallback) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot configure the libsignal context");
  }
  // No log function: libsignal's messages name peers (addresses).
  return owner;
}

SignalContext::~SignalContext() {
  if (stores_ != nullptr) signal_protocol_store_context_destroy(stores_);
  if (context_ != nullptr) signal_context_destroy(context_);
}

absl::Status SignalContext::SetStores(
    const signal_protocol_session_store& sessions,
    const signal_protocol_pre_key_store& pre_keys,
    const signal_protocol_signed_pre_key_store& signed_pre_keys,
    const signal_protocol_identity_key_store& identity) {
  if (stores_ != nullptr) {
    return CryptoStatus(CryptoError::kInternal, "stores already set");
  }
  signal_protocol_sender_key_store sender_keys = {};
  sender_keys.store_sender_key = StoreSenderKey;
  sender_keys.load_sender_key = LoadSenderKey;
  signal_protocol_store_context* stores = nullptr;
  if (signal_protocol_store_context_create(&stores, context_) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot create the libsignal store context");
  }
  if (signal_protocol_store_context_set_session_store(stores, &sessions) !=
          SG_SUCCESS ||
      signal_protocol_store_context_set_pre_key_store(stores, &pre_keys) !=
          SG_SUCCESS ||
      signal_protocol_store_context_set_signed_pre_key_store(
          stores, &signed_pre_keys) != SG_SUCCESS ||
      signal_protocol_store_context_set_identity_key_store(stores, &identity) !=
          SG_SUCCESS ||
      signal_protocol_store_context_set_sender_key_store(
          stores, &sender_keys) != SG_SUCCESS) {
    signal_protocol_store_context_destroy(stores);
    return CryptoStatus(CryptoError::kInternal,
                        "cannot install the libsignal stores");
  }
  stores_ = stores;
  return absl::OkStatus();
}

void SignalContext::LockCallback(void* user_data) {
  static_cast<SignalContext*>(user_data)->mutex_.lock();
}

void SignalContext::UnlockCallback(void* user_data) {
  static_cast<SignalContext*>(user_data)->mutex_.unlock();
}

OwnedAddress::OwnedAddress(std::string name, int32_t device_id)
    : name_(std::move(name)) {
  address_.name = name_.data();
  address_.name_len = name_.size();
  address_.device_id = device_id;
}

}  // namespace confidant::crypto::internal
