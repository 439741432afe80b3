// libsignal-protocol-c plumbing shared by the crypto/*.cc files: an OpenSSL 3
// crypto provider, recursive locking, and typed owners for libsignal handles.
// Internal: never include this from a public header.
#ifndef CONFIDANT_CRYPTO_INTERNAL_SIGNAL_CONTEXT_H_
#define CONFIDANT_CRYPTO_INTERNAL_SIGNAL_CONTEXT_H_

#include <key_helper.h>
#include <session_builder.h>
#include <session_cipher.h>
#include <signal_protocol.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace confidant::crypto::internal {

// Drops one reference of a refcounted libsignal object (SIGNAL_UNREF).
template <typename T>
struct SignalUnref {
  void operator()(T* p) const {
    if (p != nullptr) signal_type_unref(reinterpret_cast<signal_type_base*>(p));
  }
};
// An owned reference to a libsignal object from *_create, *_generate or
// *_deserialize. Results of *_get_* are borrowed: never wrap them.
template <typename T>
using SignalPtr = std::unique_ptr<T, SignalUnref<T>>;

struct BufferFree {
  void operator()(signal_buffer* p) const { signal_buffer_free(p); }
};
struct SecretBufferFree {
  void operator()(signal_buffer* p) const { signal_buffer_bzero_free(p); }
};
// A signal_buffer holding public bytes.
using BufferPtr = std::unique_ptr<signal_buffer, BufferFree>;
// A signal_buffer holding key material: zeroed when freed.
using SecretBufferPtr = std::unique_ptr<signal_buffer, SecretBufferFree>;

struct IntListFree {
  void operator()(signal_int_list* p) const { signal_int_list_free(p); }
};
using IntListPtr = std::unique_ptr<signal_int_list, IntListFree>;

struct SessionCipherFree {
  void operator()(session_cipher* p) const { session_cipher_free(p); }
};
using SessionCipherPtr = std::unique_ptr<session_cipher, SessionCipherFree>;

struct SessionBuilderFree {
  void operator()(session_builder* p) const { session_builder_free(p); }
};
using SessionBuilderPtr = std::unique_ptr<session_builder, SessionBuilderFree>;

struct PreKeyListFree {
  void operator()(signal_protocol_key_helper_pre_key_list_node* p) const {
    signal_protocol_key_helper_key_list_free(p);
  }
};
using PreKeyListPtr =
    std::unique_ptr<signal_protocol_key_helper_pre_key_list_node,
                    PreKeyListFree>;

// The bytes of a signal_buffer (empty for null); valid while `buffer` lives.
std::string_view BufferView(const signal_buffer* buffer);

// A serialized public key (33 bytes, 0x05 prefix) as a libsignal key;
// kInvalidKey if malformed.
absl::StatusOr<SignalPtr<ec_public_key>> DecodePublicKey(
    std::string_view public_key, signal_context* context);
// A 32-byte private key as a libsignal key; kInvalidKey if malformed.
absl::StatusOr<SignalPtr<ec_private_key>> DecodePrivateKey(
    std::string_view private_key, signal_context* context);
// The 33-byte serialized form of `key`.
absl::StatusOr<std::string> SerializePublicKey(const ec_public_key* key);

// Owns a signal_context (OpenSSL provider and recursive lock installed) and,
// once SetStores() succeeded, a signal_protocol_store_context. Lock() is the
// same recursive mutex libsignal takes, so callers can make a sequence of
// libsignal calls atomic. Not copyable or movable: libsignal keeps `this` as
// its user data.
class SignalContext {
 public:
  // kInternal if OpenSSL lacks an algorithm or allocation fails.
  static absl::StatusOr<std::unique_ptr<SignalContext>> Create();

  SignalContext(const SignalContext&) = delete;
  SignalContext& operator=(const SignalContext&) = delete;
  ~SignalContext();

  signal_context* get() const { return context_; }

  // Creates the store context from complete callback tables (libsignal copies
  // the tables; their user_data must outlive this object). Once only.
  absl::Status SetStores(
      const signal_protocol_session_store& sessions,
      const signal_protocol_pre_key_store& pre_keys,
      const signal_protocol_signed_pre_key_store& signed_pre_keys,
      const signal_protocol_identity_key_store& identity);
  // Null before SetStores().
  signal_protocol_store_context* stores() const { return stores_; }

  // The mutex behind libsignal's lock callbacks.
  std::recursive_mutex& mutex() { return mutex_; }

 private:
  SignalContext() = default;
  static void LockCallback(void* user_data);
  static void UnlockCallback(void* user_data);

  std::recursive_mutex mutex_;
  signal_context* context_ = nullptr;
  signal_protocol_store_context* stores_ = nullptr;
};

// A signal_protocol_address that owns its name bytes. libsignal keeps a
// pointer to the address in ciphers and builders: keep this alive (and
// unmoved) for as long as they live.
class OwnedAddress {
 public:
  OwnedAddress(std::string name, int32_t device_id);
  OwnedAddress(const OwnedAddress&) = delete;
  OwnedAddress& operator=(const OwnedAddress&) = delete;

  const signal_protocol_address* get() const { return &address_; }

 private:
  std::string name_;
  signal_protocol_address address_;
};

}  // namespace confidant::crypto::internal

#endif  // CONFIDANT_CRYPTO_INTERNAL_SIGNAL_CONTEXT_H_
