#include "crypto/session.h"

#include <protocol.h>
#include <session_builder.h>
#include <session_cipher.h>
#include <session_pre_key.h>
#include <signal_protocol.h>

#include <climits>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crypto/errors.h"
#include "crypto/internal/signal_context.h"
#include "crypto/scratch_stores.h"

namespace confidant::crypto {
namespace {

using internal::BufferView;
using internal::OwnedAddress;
using internal::SecretBufferPtr;
using internal::SessionBuilderPtr;
using internal::SessionCipherPtr;
using internal::SignalContext;
using internal::SignalPtr;

constexpr size_t kMaxNameSize = 256;

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Where a libsignal error arose: parsing bytes, or processing a parsed
// message (authentication, ratchet, stores).
enum class Stage { kParse, kProcess };

absl::Status FromSignal(int code, Stage stage) {
  if (stage == Stage::kParse &&
      (code == SG_ERR_INVAL || code == SG_ERR_UNKNOWN)) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "the bytes are not a Signal message");
  }
  switch (code) {
    case SG_ERR_DUPLICATE_MESSAGE:
      return CryptoStatus(CryptoError::kDuplicate,
                          "the message was already received");
    case SG_ERR_INVALID_MESSAGE:
    case SG_ERR_INVALID_MAC:
      if (stage == Stage::kParse) {
        return CryptoStatus(CryptoError::kInvalidMessage,
                            "the bytes are not a Signal message");
      }
      return CryptoStatus(CryptoError::kTampered,
                          "the message does not authenticate: modified, or "
                          "not of this session");
    case SG_ERR_INVALID_PROTO_BUF:
    case SG_ERR_STALE_KEY_EXCHANGE:
      return CryptoStatus(CryptoError::kInvalidMessage,
                          "the bytes are not a Signal message");
    case SG_ERR_UNTRUSTED_IDENTITY:
      return CryptoStatus(CryptoError::kUntrustedIdentity,
                          kIdentityChangedMessage);
    case SG_ERR_INVALID_KEY:
    case SG_ERR_VRF_SIG_VERIF_FAILED:
      return CryptoStatus(CryptoError::kInvalidKey,
                          "a key or signature is invalid");
    case SG_ERR_INVALID_KEY_ID:
      return CryptoStatus(CryptoError::kInvalidKey,
                          "the message names a pre-key we do not have "
                          "(unknown or already used)");
    case SG_ERR_NO_SESSION:
      return CryptoStatus(CryptoError::kNoSession, "no session with the peer");
    case SG_ERR_LEGACY_MESSAGE:
    case SG_ERR_INVALID_VERSION:
      return CryptoStatus(CryptoError::kBadVersion,
                          "unsupported Signal protocol version");
    default:
      return CryptoStatus(CryptoError::kInternal,
                          absl::StrCat("libsignal failed (", code, ")"));
  }
}

absl::Status CheckAddress(const Address& address) {
  if (address.name.empty() || address.name.size() > kMaxNameSize ||
      address.device_id < 1 || address.device_id > INT32_MAX) {
    return CryptoStatus(CryptoError::kInvalidMessage, "invalid peer address");
  }
  return absl::OkStatus();
}

Address FromSignalAddress(const signal_protocol_address* address) {
  return Address{std::string(address->name, address->name_len),
                 static_cast<uint32_t>(address->device_id)};
}

}  // namespace

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
  absl::Status Failure(int code, Stage stage) {
    if (!store_error_.ok()) {
      return CryptoStatus(
          CryptoError::kInternal,
          absl::StrCat("key store failed: ", store_error_.message()));
    }
    return FromSignal(code, stage);
  }
  absl::StatusOr<SessionCipherPtr> NewCipher(const OwnedAddress& address);

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
  std::unique_ptr<SignalContext> context_;
  // Guarded by context_->mutex(); reset at the start of each operation.
  absl::Status store_error_;
};

absl::Status SessionManager::Impl::Init() {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  context_ = *std::move(context);

  signal_protocol_session_store session_store = {};
  session_store.load_session_func = LoadSession;
  session_store.get_sub_device_sessions_func = SubDeviceSessions;
  session_store.store_session_func = StoreSession;
  session_store.contains_session_func = ContainsSession;
  session_store.delete_session_func = DeleteSession;
  session_store.delete_all_sessions_func = DeleteAllSessions;
  session_store.user_data = this;

  signal_protocol_pre_key_store pre_key_store = {};
  pre_key_store.load_pre_key = LoadPreKey;
  pre_key_store.store_pre_key = StorePreKey;
  pre_key_store.contains_pre_key = ContainsPreKey;
  pre_key_store.remove_pre_key = RemovePreKey;
  pre_key_store.user_data = this;

  signal_protocol_signed_pre_key_store signed_store = {};
  signed_store.load_signed_pre_key = LoadSignedPreKey;
  signed_store.store_signed_pre_key = StoreSignedPreKey;
  signed_store.contains_signed_pre_key = ContainsSignedPreKey;
  signed_store.remove_signed_pre_key = RemoveSignedPreKey;
  signed_store.user_data = this;

  signal_protocol_identity_key_store identity_store = {};
  identity_store.get_identity_key_pair = GetIdentityKeyPair;
  identity_store.get_local_registration_id = GetLocalRegistrationId;
  identity_store.save_identity = SaveIdentity;
  identity_store.is_trusted_identity = IsTrustedIdentity;
  identity_store.user_data = this;

  return context_->SetStores(session_store, pre_key_store, signed_store,
                             identity_store);
}

absl::StatusOr<SessionCipherPtr> SessionManager::Impl::NewCipher(
    const OwnedAddress& address) {
  session_cipher* raw = nullptr;
  const int rc = session_cipher_create(&raw, context_->stores(), address.get(),
                                       context_->get());
  if (rc != SG_SUCCESS) return FromSignal(rc, Stage::kProcess);
  return SessionCipherPtr(raw);
}

absl::Status SessionManager::Impl::StartSession(const Address& address,
                                                const PreKeyBundle& bundle) {
  if (absl::Status s = CheckAddress(address); !s.ok()) return s;
  if (bundle.device_id < 1 || bundle.device_id > INT32_MAX) {
    return CryptoStatus(CryptoError::kInvalidKey, "invalid bundle device id");
  }
  if (bundle.signed_pre_key_signature.size() != kSignatureSize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "a signed pre-key signature must be 64 bytes");
  }
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  store_error_ = absl::OkStatus();
  signal_context* ctx = context_->get();
  absl::StatusOr<SignalPtr<ec_public_key>> identity =
      internal::DecodePublicKey(bundle.identity_key, ctx);
  if (!identity.ok()) return identity.status();
  absl::StatusOr<SignalPtr<ec_public_key>> signed_pre_key =
      internal::DecodePublicKey(bundle.signed_pre_key_public, ctx);
  if (!signed_pre_key.ok()) return signed_pre_key.status();
  SignalPtr<ec_public_key> one_time_key;
  uint32_t one_time_id = 0;
  if (bundle.one_time_pre_key.has_value()) {
    absl::StatusOr<SignalPtr<ec_public_key>> key =
        internal::DecodePublicKey(bundle.one_time_pre_key->public_key, ctx);
    if (!key.ok()) return key.status();
    one_time_key = *std::move(key);
    one_time_id = bundle.one_time_pre_key->id;
  }

  session_pre_key_bundle* raw_bundle = nullptr;
  int rc = session_pre_key_bundle_create(
      &raw_bundle, bundle.registration_id, static_cast<int>(bundle.device_id),
      one_time_id, one_time_key.get(), bundle.signed_pre_key_id,
      signed_pre_key->get(), Bytes(bundle.signed_pre_key_signature),
      bundle.signed_pre_key_signature.size(), identity->get());
  if (rc != SG_SUCCESS) return Failure(rc, Stage::kProcess);
  SignalPtr<session_pre_key_bundle> signal_bundle(raw_bundle);

  const OwnedAddress signal_address(address.name,
                                    static_cast<int32_t>(address.device_id));
  session_builder* raw_builder = nullptr;
  rc = session_builder_create(&raw_builder, context_->stores(),
                              signal_address.get(), ctx);
  if (rc != SG_SUCCESS) return Failure(rc, Stage::kProcess);
  SessionBuilderPtr builder(raw_builder);
  rc = session_builder_process_pre_key_bundle(builder.get(),
                                              signal_bundle.get());
  if (rc == SG_ERR_INVALID_KEY && store_error_.ok()) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "the signed pre-key signature does not verify");
  }
  if (rc < 0) return Failure(rc, Stage::kProcess);
  return absl::OkStatus();
}

bool SessionManager::Impl::HasSession(const Address& address) {
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  absl::StatusOr<bool> contains = sessions_.ContainsSession(address);
  return contains.ok() && *contains;
}

absl::StatusOr<Ciphertext> SessionManager::Impl::Encrypt(
    const Address& address, std::string_view plaintext) {
  if (absl::Status s = CheckAddress(address); !s.ok()) return s;
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  store_error_ = absl::OkStatus();
  absl::StatusOr<bool> contains = sessions_.ContainsSession(address);
  if (!contains.ok()) {
    return CryptoStatus(
        CryptoError::kInternal,
        absl::StrCat("key store failed: ", contains.status().message()));
  }
  if (!*contains) {
    return CryptoStatus(CryptoError::kNoSession, "no session with the peer");
  }
  const OwnedAddress signal_address(address.name,
                                    static_cast<int32_t>(address.device_id));
  absl::StatusOr<SessionCipherPtr> cipher = NewCipher(signal_address);
  if (!cipher.ok()) return cipher.status();
  ciphertext_message* raw = nullptr;
  const int rc = session_cipher_encrypt(cipher->get(), Bytes(plaintext),
                                        plaintext.size(), &raw);
  if (rc < 0) return Failure(rc, Stage::kProcess);
  SignalPtr<ciphertext_message> message(raw);
  Ciphertext out;
  switch (ciphertext_message_get_type(message.get())) {
    case CIPHERTEXT_PREKEY_TYPE:
      out.type = MessageType::kPreKey;
      break;
    case CIPHERTEXT_SIGNAL_TYPE:
      out.type = MessageType::kSignal;
      break;
    default:
      return CryptoStatus(CryptoError::kInternal,
                          "libsignal produced an unexpected message type");
  }
  out.bytes =
      std::string(BufferView(ciphertext_message_get_serialized(message.get())));
  return out;
}

absl::StatusOr<std::string> SessionManager::Impl::Decrypt(
    const Address& address, const Ciphertext& ciphertext) {
  if (absl::Status s = CheckAddress(address); !s.ok()) return s;
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  store_error_ = absl::OkStatus();
  signal_context* ctx = context_->get();
  const OwnedAddress signal_address(address.name,
                                    static_cast<int32_t>(address.device_id));
  absl::StatusOr<SessionCipherPtr> cipher = NewCipher(signal_address);
  if (!cipher.ok()) return cipher.status();
  const std::string_view bytes = ciphertext.bytes;
  signal_buffer* raw_plaintext = nullptr;
  int rc;
  if (ciphertext.type == MessageType::kPreKey) {
    pre_key_signal_message* raw = nullptr;
    rc = pre_key_signal_message_deserialize(&raw, Bytes(bytes), bytes.size(),
                                            ctx);
    if (rc < 0) return FromSignal(rc, Stage::kParse);
    SignalPtr<pre_key_signal_message> message(raw);
    absl::StatusOr<std::optional<std::string>> prior =
        identities_.GetIdentity(address);
    if (!prior.ok()) {
      return CryptoStatus(
          CryptoError::kInternal,
          absl::StrCat("key store failed: ", prior.status().message()));
    }
    rc = session_cipher_decrypt_pre_key_signal_message(
        cipher->get(), message.get(), nullptr, &raw_plaintext);
    // libsignal records the sender's identity before it authenticates the
    // message: undo that for a first contact that fails, so forged bytes
    // cannot pin an identity for the peer.
    if (rc < 0 && !prior->has_value()) {
      absl::StatusOr<bool> has_session = sessions_.ContainsSession(address);
      if (has_session.ok() && !*has_session) {
        absl::Status removed = identities_.RemoveIdentity(address);
        if (!removed.ok()) StoreFailed(removed);
      }
    }
  } else {
    signal_message* raw = nullptr;
    rc = signal_message_deserialize(&raw, Bytes(bytes), bytes.size(), ctx);
    if (rc < 0) return FromSignal(rc, Stage::kParse);
    SignalPtr<signal_message> message(raw);
    rc = session_cipher_decrypt_signal_message(cipher->get(), message.get(),
                                               nullptr, &raw_plaintext);
  }
  SecretBufferPtr plaintext(raw_plaintext);
  if (rc < 0) return Failure(rc, Stage::kProcess);
  return std::string(BufferView(plaintext.get()));
}

absl::StatusOr<std::string> SessionManager::Impl::PeerIdentityKey(
    const Address& address) {
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  absl::StatusOr<std::optional<std::string>> stored =
      identities_.GetIdentity(address);
  if (!stored.ok()) {
    return CryptoStatus(
        CryptoError::kInternal,
        absl::StrCat("key store failed: ", stored.status().message()));
  }
  if (!stored->has_value()) {
    return CryptoStatus(CryptoError::kNoSession,
                        "no identity key known for the peer");
  }
  return **std::move(stored);
}

absl::Status SessionManager::Impl::AcceptIdentity(
    const Address& address, std::string_view new_identity_key) {
  if (absl::Status s = CheckAddress(address); !s.ok()) return s;
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  absl::StatusOr<SignalPtr<ec_public_key>> decoded =
      internal::DecodePublicKey(new_identity_key, context_->get());
  if (!decoded.ok()) return decoded.status();
  absl::StatusOr<std::optional<std::string>> stored =
      identities_.GetIdentity(address);
  absl::Status status = stored.status();
  if (status.ok() && *stored != new_identity_key) {
    status = identities_.SaveIdentity(address, new_identity_key);
    if (status.ok() && stored->has_value()) {
      status = sessions_.DeleteSession(address).status();
    }
  }
  if (!status.ok()) {
    return CryptoStatus(CryptoError::kInternal,
                        absl::StrCat("key store failed: ", status.message()));
  }
  return absl::OkStatus();
}

absl::Status SessionManager::Impl::ProveIdentity(const Address& address,
                                                 const Ciphertext& ciphertext) {
  if (absl::Status s = CheckAddress(address); !s.ok()) return s;
  // Our pre-keys are read while the scratch manager decrypts: hold our lock
  // so no real decryption uses one up meanwhile.
  std::lock_guard<std::recursive_mutex> lock(context_->mutex());
  absl::StatusOr<std::unique_ptr<ScratchStores>> scratch =
      ScratchStores::Create(identities_, pre_keys_, signed_pre_keys_);
  if (!scratch.ok()) {
    return CryptoStatus(
        CryptoError::kInternal,
        absl::StrCat("key store failed: ", scratch.status().message()));
  }
  ScratchStores& s = **scratch;
  absl::StatusOr<std::unique_ptr<SessionManager>> trial =
      SessionManager::Create(s, s, s, s);
  if (!trial.ok()) return trial.status();
  absl::StatusOr<std::string> plaintext =
      (*trial)->Decrypt(address, ciphertext);
  if (!plaintext.ok()) return plaintext.status();
  WipeString(*plaintext);
  return absl::OkStatus();
}

// Store callbacks. Inputs are copied; outputs are fresh signal_buffers that
// libsignal frees.

int SessionManager::Impl::LoadSession(signal_buffer** record,
                                      signal_buffer** user_record,
                                      const signal_protocol_address* address,
                                      void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<std::optional<SecretBytes>> stored =
      self->sessions_.LoadSession(FromSignalAddress(address));
  if (!stored.ok()) return self->StoreFailed(stored.status());
  if (!stored->has_value()) return 0;
  signal_buffer* out =
      signal_buffer_create((*stored)->data(), (*stored)->size());
  if (out == nullptr) return SG_ERR_NOMEM;
  *record = out;
  return 1;
}

int SessionManager::Impl::SubDeviceSessions(signal_int_list** sessions,
                                            const char* name, size_t name_len,
                                            void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<std::vector<uint32_t>> devices =
      self->sessions_.SubDeviceSessions(std::string_view(name, name_len));
  if (!devices.ok()) return self->StoreFailed(devices.status());
  internal::IntListPtr list(signal_int_list_alloc());
  if (list == nullptr) return SG_ERR_NOMEM;
  for (uint32_t device : *devices) {
    if (signal_int_list_push_back(list.get(), static_cast<int>(device)) < 0) {
      return SG_ERR_NOMEM;
    }
  }
  *sessions = list.release();
  return static_cast<int>(devices->size());
}

int SessionManager::Impl::StoreSession(const signal_protocol_address* address,
                                       uint8_t* record, size_t record_len,
                                       uint8_t*, size_t, void* ud) {
  Impl* self = Self(ud);
  absl::Status status = self->sessions_.StoreSession(
      FromSignalAddress(address),
      SecretBytes::CopyOf(
          std::string_view(reinterpret_cast<char*>(record), record_len)));
  return status.ok() ? SG_SUCCESS : self->StoreFailed(status);
}

int SessionManager::Impl::ContainsSession(
    const signal_protocol_address* address, void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<bool> contains =
      self->sessions_.ContainsSession(FromSignalAddress(address));
  if (!contains.ok()) return self->StoreFailed(contains.status());
  return *contains ? 1 : 0;
}

int SessionManager::Impl::DeleteSession(const signal_protocol_address* address,
                                        void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<bool> deleted =
      self->sessions_.DeleteSession(FromSignalAddress(address));
  if (!deleted.ok()) return self->StoreFailed(deleted.status());
  return *deleted ? 1 : 0;
}

int SessionManager::Impl::DeleteAllSessions(const char* name, size_t name_len,
                                            void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<int> deleted =
      self->sessions_.DeleteAllSessions(std::string_view(name, name_len));
  if (!deleted.ok()) return self->StoreFailed(deleted.status());
  return *deleted;
}

// The pre-key and signed pre-key callbacks differ only in the store they
// reach; these carry libsignal's conventions for both.
int SessionManager::Impl::LoadRecord(
    absl::StatusOr<std::optional<SecretBytes>> stored, signal_buffer** record) {
  if (!stored.ok()) return StoreFailed(stored.status());
  if (!stored->has_value()) return SG_ERR_INVALID_KEY_ID;
  signal_buffer* out =
      signal_buffer_create((*stored)->data(), (*stored)->size());
  if (out == nullptr) return SG_ERR_NOMEM;
  *record = out;
  return SG_SUCCESS;
}

int SessionManager::Impl::StatusResult(const absl::Status& status) {
  return status.ok() ? SG_SUCCESS : StoreFailed(status);
}

int SessionManager::Impl::ContainsResult(const absl::StatusOr<bool>& contains) {
  if (!contains.ok()) return StoreFailed(contains.status());
  return *contains ? 1 : 0;
}

SecretBytes SessionManager::Impl::CopyRecord(const uint8_t* record,
                                             size_t record_len) {
  return SecretBytes::CopyOf(
      std::string_view(reinterpret_cast<const char*>(record), record_len));
}

int SessionManager::Impl::LoadPreKey(signal_buffer** record, uint32_t id,
                                     void* ud) {
  Impl* self = Self(ud);
  return self->LoadRecord(self->pre_keys_.LoadPreKey(id), record);
}

int SessionManager::Impl::StorePreKey(uint32_t id, uint8_t* record,
                                      size_t record_len, void* ud) {
  Impl* self = Self(ud);
  return self->StatusResult(
      self->pre_keys_.StorePreKey(id, CopyRecord(record, record_len)));
}

int SessionManager::Impl::ContainsPreKey(uint32_t id, void* ud) {
  Impl* self = Self(ud);
  return self->ContainsResult(self->pre_keys_.ContainsPreKey(id));
}

int SessionManager::Impl::RemovePreKey(uint32_t id, void* ud) {
  Impl* self = Self(ud);
  return self->StatusResult(self->pre_keys_.RemovePreKey(id));
}

int SessionManager::Impl::LoadSignedPreKey(signal_buffer** record, uint32_t id,
                                           void* ud) {
  Impl* self = Self(ud);
  return self->LoadRecord(self->signed_pre_keys_.LoadSignedPreKey(id), record);
}

int SessionManager::Impl::StoreSignedPreKey(uint32_t id, uint8_t* record,
                                            size_t record_len, void* ud) {
  Impl* self = Self(ud);
  return self->StatusResult(self->signed_pre_keys_.StoreSignedPreKey(
      id, CopyRecord(record, record_len)));
}

int SessionManager::Impl::ContainsSignedPreKey(uint32_t id, void* ud) {
  Impl* self = Self(ud);
  return self->ContainsResult(self->signed_pre_keys_.ContainsSignedPreKey(id));
}

int SessionManager::Impl::RemoveSignedPreKey(uint32_t id, void* ud) {
  Impl* self = Self(ud);
  return self->StatusResult(self->signed_pre_keys_.RemoveSignedPreKey(id));
}

int SessionManager::Impl::GetIdentityKeyPair(signal_buffer** public_data,
                                             signal_buffer** private_data,
                                             void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<IdentityKeyPair> identity = self->identities_.LocalIdentity();
  if (!identity.ok()) return self->StoreFailed(identity.status());
  const std::string& pub = identity->public_key();
  const SecretBytes& priv = identity->private_key();
  signal_buffer* pub_out = signal_buffer_create(Bytes(pub), pub.size());
  signal_buffer* priv_out = signal_buffer_create(priv.data(), priv.size());
  if (pub_out == nullptr || priv_out == nullptr) {
    signal_buffer_free(pub_out);
    signal_buffer_bzero_free(priv_out);
    return SG_ERR_NOMEM;
  }
  *public_data = pub_out;
  *private_data = priv_out;
  return SG_SUCCESS;
}

int SessionManager::Impl::GetLocalRegistrationId(void* ud,
                                                 uint32_t* registration_id) {
  Impl* self = Self(ud);
  absl::StatusOr<uint32_t> id = self->identities_.LocalRegistrationId();
  if (!id.ok()) return self->StoreFailed(id.status());
  *registration_id = *id;
  return SG_SUCCESS;
}

int SessionManager::Impl::SaveIdentity(const signal_protocol_address* address,
                                       uint8_t* key_data, size_t key_len,
                                       void* ud) {
  Impl* self = Self(ud);
  const Address peer = FromSignalAddress(address);
  absl::Status status =
      key_data == nullptr
          ? self->identities_.RemoveIdentity(peer)
          : self->identities_.SaveIdentity(
                peer,
                std::string_view(reinterpret_cast<char*>(key_data), key_len));
  return status.ok() ? SG_SUCCESS : self->StoreFailed(status);
}

int SessionManager::Impl::IsTrustedIdentity(
    const signal_protocol_address* address, uint8_t* key_data, size_t key_len,
    void* ud) {
  Impl* self = Self(ud);
  absl::StatusOr<bool> trusted = self->identities_.IsTrusted(
      FromSignalAddress(address),
      std::string_view(reinterpret_cast<char*>(key_data), key_len));
  if (!trusted.ok()) return self->StoreFailed(trusted.status());
  return *trusted ? 1 : 0;
}

absl::StatusOr<std::unique_ptr<SessionManager>> SessionManager::Create(
    IdentityStore& identities, SessionStore& sessions, PreKeyStore& pre_keys,
    SignedPreKeyStore& signed_pre_keys) {
  auto impl =
      std::make_unique<Impl>(identities, sessions, pre_keys, signed_pre_keys);
  if (absl::Status s = impl->Init(); !s.ok()) return s;
  return std::unique_ptr<SessionManager>(new SessionManager(std::move(impl)));
}

SessionManager::SessionManager(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

SessionManager::~SessionManager() = default;

absl::Status SessionManager::StartSession(const Address& address,
                                          const PreKeyBundle& bundle) {
  return impl_->StartSession(address, bundle);
}

bool SessionManager::HasSession(const Address& address) {
  return impl_->HasSession(address);
}

absl::StatusOr<Ciphertext> SessionManager::Encrypt(const Address& address,
                                                   std::string_view plaintext) {
  return impl_->Encrypt(address, plaintext);
}

absl::StatusOr<std::string> SessionManager::Decrypt(
    const Address& address, const Ciphertext& ciphertext) {
  return impl_->Decrypt(address, ciphertext);
}

absl::StatusOr<std::string> SessionManager::PeerIdentityKey(
    const Address& address) {
  return impl_->PeerIdentityKey(address);
}

absl::Status SessionManager::AcceptIdentity(const Address& address,
                                            std::string_view new_identity_key) {
  return impl_->AcceptIdentity(address, new_identity_key);
}

absl::Status SessionManager::ProveIdentity(const Address& address,
                                           const Ciphertext& ciphertext) {
  if (ciphertext.type != MessageType::kPreKey) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "only a PreKey message can prove an identity");
  }
  return impl_->ProveIdentity(address, ciphertext);
}

absl::StatusOr<std::string> SessionManager::SenderIdentityKey(
    const Ciphertext& ciphertext) {
  if (ciphertext.type != MessageType::kPreKey) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "only PreKey messages carry the sender's identity");
  }
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  pre_key_signal_message* raw = nullptr;
  const int rc = pre_key_signal_message_deserialize(
      &raw, Bytes(ciphertext.bytes), ciphertext.bytes.size(),
      (*context)->get());
  if (rc < 0) return FromSignal(rc, Stage::kParse);
  SignalPtr<pre_key_signal_message> message(raw);
  return internal::SerializePublicKey(
      pre_key_signal_message_get_identity_key(message.get()));
}

}  // namespace confidant::crypto
