// SessionManager::Impl, the libsignal state of one manager, shared by
// session.cc (the operations) and session_store_callbacks.cc (the store
// callbacks libsignal calls, and Init, which installs them).
// Internal: never include this from a public header.
#ifndef CONFIDANT_CRYPTO_INTERNAL_SESSION_IMPL_H_
#define CONFIDANT_CRYPTO_INTERNAL_SESSION_IMPL_H_

#include <signal_protocol.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "crypto/errors.h"
#include "crypto/internal/signal_context.h"
#include "crypto/secret.h"
#include "crypto/session.h"
#include "crypto/stores.h"

namespace confidant::crypto {
namespace internal {

// The bytes of `s` as libsignal takes them.
inline const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Where a libsignal error arose: parsing bytes, or processing a parsed
// message (authentication, ratchet, stores).
enum class Stage { kParse, kProcess };

// The status for libsignal's error `code` (the CryptoErrors of session.h).
absl::Status FromSignal(int code, Stage stage);

}  // namespace internal

// The libsignal state of one manager. Store callbacks receive `this` as user
// data; they run only while `context->mutex()` is held.
class SessionManager::Impl {
 public:
  Impl(IdentityStore& identities, SessionStore& sessions, PreKeyStore& pre_keys,
       SignedPreKeyStore& signed_pre_keys)
      : identities_(identities),
        sessions_(sessions),
        pre_keys_(pre_keys),
        signed_pre_keys_(signed_pre_keys) {}

  absl::Status Init();

  absl::Status StartSession(const Address& address, const PreKeyBundle& bundle);
  bool HasSession(const Address& address);
  absl::StatusOr<Ciphertext> Encrypt(const Address& address,
                                     std::string_view plaintext);
  absl::StatusOr<std::string> Decrypt(const Address& address,
                                      const Ciphertext& ciphertext);
  absl::StatusOr<std::string> PeerIdentityKey(const Address& address);
  absl::Status AcceptIdentity(const Address& address,
                              std::string_view new_identity_key);
  absl::Status ProveIdentity(const Address& address,
                             const Ciphertext& ciphertext);

 private:
  // Remembers a store failure so the caller sees its message, and tells
  // libsignal the call failed.
  int StoreFailed(const absl::Status& status) {
    if (store_error_.ok()) store_error_ = status;
    return SG_ERR_UNKNOWN;
  }
  // The status for a failed libsignal call: a remembered store failure wins.
  absl::Status Failure(int code, internal::Stage stage) {
    if (!store_error_.ok()) {
      return CryptoStatus(
          CryptoError::kInternal,
          absl::StrCat("key store failed: ", store_error_.message()));
    }
    return internal::FromSignal(code, stage);
  }
  absl::StatusOr<internal::SessionCipherPtr> NewCipher(
      const internal::OwnedAddress& address);

  // Store callbacks (see signal_protocol.h for their conventions).
  static Impl* Self(void* user_data) { return static_cast<Impl*>(user_data); }
  int LoadRecord(absl::StatusOr<std::optional<SecretBytes>> stored,
                 signal_buffer** record);
  int StatusResult(const absl::Status& status);
  int ContainsResult(const absl::StatusOr<bool>& contains);
  static SecretBytes CopyRecord(const uint8_t* record, size_t record_len);
  static int LoadSession(signal_buffer** record, signal_buffer** user_record,
                         const signal_protocol_address* address, void* ud);
  static int SubDeviceSessions(signal_int_list** sessions, const char* name,
                               size_t name_len, void* ud);
  static int StoreSession(const signal_protocol_address* address,
                          uint8_t* record, size_t record_len,
                          uint8_t* user_record, size_t user_record_len,
                          void* ud);
  static int ContainsSession(const signal_protocol_address* address, void* ud);
  static int DeleteSession(const signal_protocol_address* address, void* ud);
  static int DeleteAllSessions(const char* name, size_t name_len, void* ud);
  static int LoadPreKey(signal_buffer** record, uint32_t id, void* ud);
  static int StorePreKey(uint32_t id, uint8_t* record, size_t record_len,
                         void* ud);
  static int ContainsPreKey(uint32_t id, void* ud);
  static int RemovePreKey(uint32_t id, void* ud);
  static int LoadSignedPreKey(signal_buffer** record, uint32_t id, void* ud);
  static int StoreSignedPreKey(uint32_t id, uint8_t* record, size_t record_len,
                               void* ud);
  static int ContainsSignedPreKey(uint32_t id, void* ud);
  static int RemoveSignedPreKey(uint32_t id, void* ud);
  static int GetIdentityKeyPair(signal_buffer** public_data,
                                signal_buffer** private_data, void* ud);
  static int GetLocalRegistrationId(void* ud, uint32_t* registration_id);
  static int SaveIdentity(const signal_protocol_address* address,
                          uint8_t* key_data, size_t key_len, void* ud);
  static int IsTrustedIdentity(const signal_protocol_address* address,
                               uint8_t* key_data, size_t key_len, void* ud);

  IdentityStore& identities_;
  SessionStore& sessions_;
  PreKeyStore& pre_keys_;
  SignedPreKeyStore& signed_pre_keys_;
  std::unique_ptr<internal::SignalContext> context_;
  // Guarded by context_->mutex(); reset at the start of each operation.
  absl::Status store_error_;
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_INTERNAL_SESSION_IMPL_H_
