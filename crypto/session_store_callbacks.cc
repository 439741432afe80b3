// SessionManager::Impl's side of libsignal's stores: Init, which creates the
// libsignal context and installs the callback tables, and the callbacks,
// which reach our stores (crypto/stores.h). They run only while the
// context's lock is held; a store failure is remembered for the caller.
#include <signal_protocol.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/internal/session_impl.h"
#include "crypto/internal/signal_context.h"
#include "crypto/keys.h"
#include "crypto/secret.h"

namespace confidant::crypto {
namespace {

using internal::Bytes;
using internal::SignalContext;

Address FromSignalAddress(const signal_protocol_address* address) {
  return Address{std::string(address->name, address->name_len),
                 static_cast<uint32_t>(address->device_id)};
}

}  // namespace

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

}  // namespace confidant::crypto
