// SessionManager (session.h): starting sessions from pre-key bundles,
// encrypting and decrypting, identities; libsignal's errors as CryptoErrors.
// The store callbacks libsignal calls are in session_store_callbacks.cc.
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
#include "crypto/internal/session_impl.h"
#include "crypto/internal/signal_context.h"
#include "crypto/scratch_stores.h"

namespace confidant::crypto {
namespace {

using internal::BufferView;
using internal::Bytes;
using internal::FromSignal;
using internal::OwnedAddress;
using internal::SecretBufferPtr;
using internal::SessionBuilderPtr;
using internal::SessionCipherPtr;
using internal::SignalContext;
using internal::SignalPtr;
using internal::Stage;

constexpr size_t kMaxNameSize = 256;

absl::Status CheckAddress(const Address& address) {
  if (address.name.empty() || address.name.size() > kMaxNameSize ||
      address.device_id < 1 || address.device_id > INT32_MAX) {
    return CryptoStatus(CryptoError::kInvalidMessage, "invalid peer address");
  }
  return absl::OkStatus();
}

}  // namespace

namespace internal {

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

}  // namespace internal

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
