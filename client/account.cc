#include "client/account.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "confidant/v1/wire.h"
#include "crypto/keys.h"
#include "crypto/stores.h"

namespace confidant::client {
namespace {

// The relay accepts at most this many one-time pre-keys per upload.
constexpr uint32_t kMaxOneTimePreKeysPerUpload =
    wire::kMaxOneTimePreKeysPerUpload;

// Hands out `count` ids starting at `*next` and advances `*next` past them.
uint32_t ReserveIds(uint32_t count, uint32_t* next) {
  const uint32_t first =
      (*next >= 1 && *next <= crypto::kMaxPreKeyId) ? *next : 1;
  uint32_t id = first;
  for (uint32_t i = 0; i < count; ++i) id = crypto::NextPreKeyId(id);
  *next = id;
  return first;
}

}  // namespace

absl::StatusOr<AccountKeys> AccountKeys::Generate() {
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      crypto::IdentityKeyPair::Generate();
  if (!identity.ok()) return identity.status();
  absl::StatusOr<uint32_t> registration_id = crypto::GenerateRegistrationId();
  if (!registration_id.ok()) return registration_id.status();
  return AccountKeys{*std::move(identity), *registration_id};
}

AccountState AccountState::Clone() const {
  AccountState out;
  out.account_id = account_id;
  out.secret = secret.Clone();
  out.kind = kind;
  out.organisations = organisations;
  out.keys_uploaded = keys_uploaded;
  out.next_pre_key_id = next_pre_key_id;
  out.next_signed_pre_key_id = next_signed_pre_key_id;
  out.signed_pre_key_id = signed_pre_key_id;
  out.signed_pre_key_created = signed_pre_key_created;
  out.retired_signed_pre_keys = retired_signed_pre_keys;
  return out;
}

absl::StatusOr<std::optional<AccountState>> MemoryAccountStateStore::Load() {
  absl::MutexLock lock(&mu_);
  if (!state_.has_value()) return std::nullopt;
  return state_->Clone();
}

absl::Status MemoryAccountStateStore::Save(const AccountState& state) {
  absl::MutexLock lock(&mu_);
  state_ = state.Clone();
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<AccountManager>> AccountManager::Open(
    RelayTransport& transport, AccountStateStore& state_store,
    crypto::IdentityStore& identities, crypto::PreKeyStore& pre_keys,
    crypto::SignedPreKeyStore& signed_pre_keys, AccountOptions options,
    PreKeyHandoutStore* handouts) {
  if (options.one_time_pre_key_target == 0 ||
      options.one_time_pre_key_target > kMaxOneTimePreKeysPerUpload ||
      options.one_time_pre_key_threshold > options.one_time_pre_key_target) {
    return absl::InvalidArgumentError(
        "one-time pre-key target must be 1..100 and at least the threshold");
  }
  absl::StatusOr<std::optional<AccountState>> loaded = state_store.Load();
  if (!loaded.ok()) return loaded.status();
  AccountState state;
  if (loaded->has_value()) state = std::move(**loaded);
  if (!state.account_id.empty()) {
    transport.SetCredentials(state.account_id, state.secret.Clone());
  }
  return std::unique_ptr<AccountManager>(
      new AccountManager(transport, state_store, identities, pre_keys,
                         signed_pre_keys, options, handouts, std::move(state)));
}

AccountManager::AccountManager(RelayTransport& transport,
                               AccountStateStore& state_store,
                               crypto::IdentityStore& identities,
                               crypto::PreKeyStore& pre_keys,
                               crypto::SignedPreKeyStore& signed_pre_keys,
                               AccountOptions options,
                               PreKeyHandoutStore* handouts, AccountState state)
    : transport_(transport),
      state_store_(state_store),
      identities_(identities),
      pre_keys_(pre_keys),
      signed_pre_keys_(signed_pre_keys),
      handouts_(handouts),
      options_(options),
      state_(std::move(state)) {}

bool AccountManager::registered() const {
  absl::MutexLock lock(&mu_);
  return !state_.account_id.empty();
}

AccountState AccountManager::state() const {
  absl::MutexLock lock(&mu_);
  return state_.Clone();
}

absl::Status AccountManager::RegisterEmployee(std::string_view access_code,
                                              absl::Time now) {
  absl::MutexLock operation(&operation_mu_);
  AccountState working = state();
  if (!working.account_id.empty()) {
    return absl::FailedPreconditionError("this profile already has an account");
  }
  return FinishRegistration(transport_.RegisterEmployee(access_code), now,
                            working);
}

absl::Status AccountManager::RegisterTrustPerson(
    std::string_view invite_code, const TrustPersonProfile& profile,
    absl::Time now) {
  absl::MutexLock operation(&operation_mu_);
  AccountState working = state();
  if (!working.account_id.empty()) {
    return absl::FailedPreconditionError("this profile already has an account");
  }
  return FinishRegistration(
      transport_.RegisterTrustPerson(invite_code, profile), now, working);
}

absl::Status AccountManager::FinishRegistration(
    absl::StatusOr<Registration> registration, absl::Time now,
    AccountState& working) {
  if (!registration.ok()) return registration.status();
  working.account_id = registration->account_id;
  working.secret = std::move(registration->secret);
  working.kind = registration->kind;
  working.organisations = std::move(registration->organisations);
  working.keys_uploaded = false;
  absl::Status saved = Commit(working);
  if (!saved.ok()) return saved;
  transport_.SetCredentials(working.account_id, working.secret.Clone());
  return UploadInitialKeys(now, working);
}

absl::Status AccountManager::UploadInitialKeys(absl::Time now,
                                               AccountState& working) {
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      identities_.LocalIdentity();
  if (!identity.ok()) return identity.status();
  absl::StatusOr<uint32_t> registration_id = identities_.LocalRegistrationId();
  if (!registration_id.ok()) return registration_id.status();

  const uint32_t count = options_.one_time_pre_key_target;
  const uint32_t signed_id = ReserveIds(1, &working.next_signed_pre_key_id);
  const uint32_t first_id = ReserveIds(count, &working.next_pre_key_id);
  absl::Status status = Commit(working);
  if (!status.ok()) return status;

  absl::StatusOr<crypto::SignedPreKeyPair> signed_key =
      crypto::GenerateSignedPreKey(*identity, signed_id, now);
  if (!signed_key.ok()) return signed_key.status();
  absl::StatusOr<std::vector<crypto::OneTimePreKeyPair>> one_time =
      crypto::GenerateOneTimePreKeys(first_id, count);
  if (!one_time.ok()) return one_time.status();

  KeyUpload upload;
  upload.identity_key = identity->public_key();
  upload.registration_id = *registration_id;
  upload.signed_pre_key = SignedPreKeyUpload{
      signed_key->id, signed_key->public_key, signed_key->signature};
  status = crypto::AddSignedPreKey(signed_pre_keys_, *signed_key);
  for (const crypto::OneTimePreKeyPair& key : *one_time) {
    if (status.ok()) status = crypto::AddPreKey(pre_keys_, key);
    upload.one_time_pre_keys.push_back({key.id, key.public_key});
  }
  if (status.ok()) status = transport_.UploadKeys(upload).status();
  if (!status.ok()) {
    signed_pre_keys_.RemoveSignedPreKey(signed_id).IgnoreError();
    for (const crypto::OneTimePreKeyPair& key : *one_time) {
      pre_keys_.RemovePreKey(key.id).IgnoreError();
    }
    return status;
  }
  working.keys_uploaded = true;
  working.signed_pre_key_id = signed_id;
  working.signed_pre_key_created = signed_key->created;
  return Commit(working);
}

absl::StatusOr<uint32_t> AccountManager::UploadOneTimePreKeys(
    uint32_t count, AccountState& working) {
  const uint32_t first_id = ReserveIds(count, &working.next_pre_key_id);
  absl::Status status = Commit(working);
  if (!status.ok()) return status;
  absl::StatusOr<std::vector<crypto::OneTimePreKeyPair>> keys =
      crypto::GenerateOneTimePreKeys(first_id, count);
  if (!keys.ok()) return keys.status();
  KeyUpload upload;
  for (const crypto::OneTimePreKeyPair& key : *keys) {
    if (status.ok()) status = crypto::AddPreKey(pre_keys_, key);
    upload.one_time_pre_keys.push_back({key.id, key.public_key});
  }
  absl::StatusOr<uint32_t> held = status.ok()
                                      ? transport_.UploadKeys(upload)
                                      : absl::StatusOr<uint32_t>(status);
  if (!held.ok()) {
    for (const crypto::OneTimePreKeyPair& key : *keys) {
      pre_keys_.RemovePreKey(key.id).IgnoreError();
    }
  }
  return held;
}

absl::Status AccountManager::RotateSignedPreKey(absl::Time now,
                                                AccountState& working) {
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      identities_.LocalIdentity();
  if (!identity.ok()) return identity.status();
  const uint32_t id = ReserveIds(1, &working.next_signed_pre_key_id);
  absl::Status status = Commit(working);
  if (!status.ok()) return status;
  absl::StatusOr<crypto::SignedPreKeyPair> key =
      crypto::GenerateSignedPreKey(*identity, id, now);
  if (!key.ok()) return key.status();
  status = crypto::AddSignedPreKey(signed_pre_keys_, *key);
  if (status.ok()) {
    KeyUpload upload;
    upload.signed_pre_key =
        SignedPreKeyUpload{key->id, key->public_key, key->signature};
    status = transport_.UploadKeys(upload).status();
  }
  if (!status.ok()) {
    signed_pre_keys_.RemoveSignedPreKey(id).IgnoreError();
    return status;
  }
  working.retired_signed_pre_keys.push_back(RetiredSignedPreKey{
      working.signed_pre_key_id, working.signed_pre_key_created, now});
  working.signed_pre_key_id = id;
  working.signed_pre_key_created = key->created;
  return Commit(working);
}

absl::StatusOr<int> AccountManager::DeleteExpiredSignedPreKeys(
    absl::Time now, AccountState& working) {
  int deleted = 0;
  std::vector<RetiredSignedPreKey> kept;
  for (const RetiredSignedPreKey& retired : working.retired_signed_pre_keys) {
    if (now - retired.retired < options_.signed_pre_key_grace) {
      kept.push_back(retired);
      continue;
    }
    absl::Status status = signed_pre_keys_.RemoveSignedPreKey(retired.id);
    if (!status.ok()) return status;
    ++deleted;
  }
  if (deleted == 0) return 0;
  working.retired_signed_pre_keys = std::move(kept);
  absl::Status status = Commit(working);
  if (!status.ok()) return status;
  return deleted;
}

absl::StatusOr<MaintenanceReport> AccountManager::Maintain(absl::Time now) {
  absl::MutexLock operation(&operation_mu_);
  AccountState working = state();
  if (working.account_id.empty()) {
    return absl::FailedPreconditionError("no account registered yet");
  }
  MaintenanceReport report;
  if (!working.keys_uploaded) {
    absl::Status status = UploadInitialKeys(now, working);
    if (!status.ok()) return status;
    report.initial_keys_uploaded = true;
  } else if (crypto::NeedsRotation(working.signed_pre_key_created, now,
                                   options_.signed_pre_key_rotation)) {
    absl::Status status = RotateSignedPreKey(now, working);
    if (!status.ok()) return status;
    report.signed_pre_key_rotated = true;
  }
  absl::StatusOr<int> deleted = DeleteExpiredSignedPreKeys(now, working);
  if (!deleted.ok()) return deleted.status();
  report.retired_signed_pre_keys_deleted = *deleted;

  absl::StatusOr<uint32_t> count = transport_.GetPreKeyCount();
  if (!count.ok()) return count.status();
  report.one_time_pre_key_count = *count;
  if (handouts_ != nullptr) {
    absl::StatusOr<int> expired = ExpireHandedOutPreKeys(*count, now, working);
    if (!expired.ok()) return expired.status();
    report.handed_out_pre_keys_expired = *expired;
  }
  if (*count < options_.one_time_pre_key_threshold &&
      *count < options_.one_time_pre_key_target) {
    const uint32_t missing = std::min(options_.one_time_pre_key_target - *count,
                                      kMaxOneTimePreKeysPerUpload);
    absl::StatusOr<uint32_t> held = UploadOneTimePreKeys(missing, working);
    if (!held.ok()) return held.status();
    report.one_time_pre_keys_uploaded = missing;
    report.one_time_pre_key_count = *held;
  }
  return report;
}

absl::StatusOr<int> AccountManager::ExpireHandedOutPreKeys(
    uint32_t held, absl::Time now, const AccountState& working) {
  absl::StatusOr<std::vector<uint32_t>> ids = handouts_->OneTimePreKeyIds();
  if (!ids.ok()) return ids.status();
  absl::StatusOr<std::map<uint32_t, absl::Time>> handouts =
      handouts_->Handouts();
  if (!handouts.ok()) return handouts.status();
  // The relay hands out the lowest id first and ids only grow, so it holds
  // the `held` highest of ours and the ones below went out. Keys it handed
  // out since the count was taken look held: the error is on the safe side.
  // Once ids wrap around past kMaxPreKeyId the order no longer tells, and no
  // new handouts are recorded.
  const bool wrapped = !ids->empty() && ids->back() >= working.next_pre_key_id;
  const size_t handed_out =
      wrapped || held >= ids->size() ? 0 : ids->size() - held;
  std::map<uint32_t, absl::Time> seen;
  std::vector<uint32_t> expire;
  for (size_t i = 0; i < ids->size(); ++i) {
    const uint32_t id = (*ids)[i];
    auto it = handouts->find(id);
    if (it == handouts->end()) {
      if (i < handed_out) seen.emplace(id, now);
    } else if (now - it->second > options_.handed_out_pre_key_expiry) {
      expire.push_back(id);
    }
  }
  std::vector<uint32_t> forget;  // records of keys a message has used
  for (const auto& [id, first_seen] : *handouts) {
    if (!std::binary_search(ids->begin(), ids->end(), id)) {
      forget.push_back(id);
    }
  }
  if (seen.empty() && forget.empty() && expire.empty()) return 0;
  absl::Status status = handouts_->UpdateHandouts(seen, forget, expire);
  if (!status.ok()) return status;
  return static_cast<int>(expire.size());
}

absl::Status AccountManager::Commit(const AccountState& working) {
  // Saved outside mu_: operation_mu_ keeps other writers out, and readers
  // need not wait for the disk.
  if (absl::Status s = state_store_.Save(working); !s.ok()) return s;
  AccountState published = working.Clone();
  absl::MutexLock lock(&mu_);
  state_ = std::move(published);
  return absl::OkStatus();
}

}  // namespace confidant::client
