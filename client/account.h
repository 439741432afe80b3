// The account's lifecycle on the relay: registration, the first key upload,
// and upkeep of the pre-keys (one-time pre-key refill, signed pre-key
// rotation with a grace period for the retired one). Private keys go to the
// crypto stores, public halves to the relay, bookkeeping to an
// AccountStateStore.
#ifndef CONFIDANT_CLIENT_ACCOUNT_H_
#define CONFIDANT_CLIENT_ACCOUNT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "client/transport.h"
#include "crypto/keys.h"
#include "crypto/secret.h"
#include "crypto/stores.h"

namespace confidant::client {

// A new installation's identity, made before the crypto stores exist (they
// are constructed with it).
struct AccountKeys {
  crypto::IdentityKeyPair identity;
  uint32_t registration_id = 0;

  // Fresh random keys; INTERNAL on failure of the crypto library.
  static absl::StatusOr<AccountKeys> Generate();
};

// A signed pre-key that was replaced and is kept until `retired` plus the
// grace period, so PreKey messages made from an older bundle still decrypt.
struct RetiredSignedPreKey {
  uint32_t id = 0;
  absl::Time created;
  absl::Time retired;

  friend bool operator==(const RetiredSignedPreKey&,
                         const RetiredSignedPreKey&) = default;
};

// Everything about the account besides the private keys. A secret: persist it
// encrypted.
struct AccountState {
  std::string account_id;  // 16 bytes
  crypto::SecretBytes secret;
  AccountKind kind = AccountKind::kUnspecified;
  std::vector<Organisation> organisations;
  // False until the first key upload succeeded.
  bool keys_uploaded = false;
  // The next one-time pre-key id to hand out; ids before it are never reused.
  uint32_t next_pre_key_id = 1;
  // The next signed pre-key id to hand out.
  uint32_t next_signed_pre_key_id = 1;
  // The signed pre-key the relay publishes (0: none yet).
  uint32_t signed_pre_key_id = 0;
  absl::Time signed_pre_key_created;
  std::vector<RetiredSignedPreKey> retired_signed_pre_keys;

  AccountState Clone() const;
};

// Where AccountState persists. Implementations are thread-safe.
class AccountStateStore {
 public:
  virtual ~AccountStateStore() = default;

  // The saved state, or nullopt before the first Save().
  virtual absl::StatusOr<std::optional<AccountState>> Load() = 0;
  // Replaces the saved state; durable when OK.
  virtual absl::Status Save(const AccountState& state) = 0;
};

// AccountStateStore in memory. Thread-safe.
class MemoryAccountStateStore final : public AccountStateStore {
 public:
  absl::StatusOr<std::optional<AccountState>> Load() override;
  absl::Status Save(const AccountState& state) override;

 private:
  absl::Mutex mu_;
  std::optional<AccountState> state_ ABSL_GUARDED_BY(mu_);
};

// When each of our one-time pre-keys was first seen handed out by the relay,
// so one that no message ever used can be dropped (docs/profile.md,
// "Handed-out one-time pre-keys"). Implementations are thread-safe.
class PreKeyHandoutStore {
 public:
  virtual ~PreKeyHandoutStore() = default;

  // The ids of the one-time pre-keys held (not yet used), ascending.
  virtual absl::StatusOr<std::vector<uint32_t>> OneTimePreKeyIds() = 0;
  // Every recorded id with the time it was first seen handed out.
  virtual absl::StatusOr<std::map<uint32_t, absl::Time>> Handouts() = 0;
  // In one durable write: records `seen` (id -> first seen handed out),
  // drops the records of `forget`, and deletes the one-time pre-keys
  // `expire` with their records.
  virtual absl::Status UpdateHandouts(
      const std::map<uint32_t, absl::Time>& seen,
      absl::Span<const uint32_t> forget, absl::Span<const uint32_t> expire) = 0;
};

struct AccountOptions {
  // One-time pre-keys to hold on the relay after a refill (at most 100).
  uint32_t one_time_pre_key_target = 100;
  // Refill when the relay holds fewer than this.
  uint32_t one_time_pre_key_threshold = 20;
  // Age at which the signed pre-key is replaced.
  absl::Duration signed_pre_key_rotation = crypto::kSignedPreKeyRotationPeriod;
  // How long a replaced signed pre-key is kept; at least the relay's
  // retention of undelivered envelopes (30 days by default).
  absl::Duration signed_pre_key_grace = absl::Hours(24 * 30);
  // How long a one-time pre-key that the relay handed out may wait for the
  // first message that uses it before it is deleted (with a
  // PreKeyHandoutStore only).
  absl::Duration handed_out_pre_key_expiry = absl::Hours(24 * 90);
};

// What one Maintain() call did.
struct MaintenanceReport {
  bool initial_keys_uploaded = false;
  uint32_t one_time_pre_keys_uploaded = 0;
  bool signed_pre_key_rotated = false;
  int retired_signed_pre_keys_deleted = 0;
  uint32_t one_time_pre_key_count = 0;  // held by the relay afterwards
  // Handed out longer than AccountOptions::handed_out_pre_key_expiry ago,
  // never used, and now deleted.
  int handed_out_pre_keys_expired = 0;
};

// Registers the account and keeps its keys on the relay fresh. Every method
// is thread-safe. Registration and Maintain() run one at a time; no lock is
// held while they wait for the relay, so registered() and state() return at
// once even then. Never reuses a pre-key id: ids are reserved in the
// AccountStateStore before keys are stored or uploaded.
class AccountManager {
 public:
  // Loads the saved state and, if registered, gives the transport its
  // credentials. With `handouts` (normally the store behind `pre_keys`),
  // Maintain() also expires handed-out one-time pre-keys that were never
  // used. Everything passed must outlive the manager.
  static absl::StatusOr<std::unique_ptr<AccountManager>> Open(
      RelayTransport& transport, AccountStateStore& state_store,
      crypto::IdentityStore& identities, crypto::PreKeyStore& pre_keys,
      crypto::SignedPreKeyStore& signed_pre_keys, AccountOptions options = {},
      PreKeyHandoutStore* handouts = nullptr);

  AccountManager(const AccountManager&) = delete;
  AccountManager& operator=(const AccountManager&) = delete;

  // Registers as an employee with the organisation's access code, then
  // uploads identity, signed pre-key and one-time pre-keys.
  // FAILED_PRECONDITION if already registered. If the upload fails the
  // account exists and Maintain() retries it.
  absl::Status RegisterEmployee(std::string_view access_code, absl::Time now);
  // Same for a trust person with a one-time invite and a public profile.
  absl::Status RegisterTrustPerson(std::string_view invite_code,
                                   const TrustPersonProfile& profile,
                                   absl::Time now);

  // Finishes an interrupted first upload, refills one-time pre-keys below the
  // threshold, rotates the signed pre-key when due, deletes retired signed
  // pre-keys past the grace period and, with a PreKeyHandoutStore, records
  // which one-time pre-keys the relay has handed out since (it hands out the
  // lowest id first, so the ids below the count it still holds went out) and
  // deletes those handed out more than the expiry ago. FAILED_PRECONDITION
  // before registration; relay errors as the transport reports them.
  absl::StatusOr<MaintenanceReport> Maintain(absl::Time now);

  // Whether an account is registered.
  bool registered() const;
  // A copy of the current state (holds the secret).
  AccountState state() const;

 private:
  AccountManager(RelayTransport& transport, AccountStateStore& state_store,
                 crypto::IdentityStore& identities,
                 crypto::PreKeyStore& pre_keys,
                 crypto::SignedPreKeyStore& signed_pre_keys,
                 AccountOptions options, PreKeyHandoutStore* handouts,
                 AccountState state);

  // Each works on `working`, a copy of the state that Commit() persists and
  // publishes; only the holder of `operation_mu_` changes the state.
  absl::Status FinishRegistration(absl::StatusOr<Registration> registration,
                                  absl::Time now, AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_);
  absl::Status UploadInitialKeys(absl::Time now, AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_);
  // Makes, stores and uploads `count` one-time pre-keys with fresh ids;
  // returns the relay's count afterwards.
  absl::StatusOr<uint32_t> UploadOneTimePreKeys(uint32_t count,
                                                AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_);
  absl::Status RotateSignedPreKey(absl::Time now, AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_);
  absl::StatusOr<int> DeleteExpiredSignedPreKeys(absl::Time now,
                                                 AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_);
  // Records the handouts that the relay's count `held` reveals and deletes
  // the expired ones; returns how many were deleted.
  absl::StatusOr<int> ExpireHandedOutPreKeys(uint32_t held, absl::Time now,
                                             const AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_);
  // Saves `working` and makes it what state() returns.
  absl::Status Commit(const AccountState& working)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(operation_mu_) ABSL_LOCKS_EXCLUDED(mu_);

  RelayTransport& transport_;
  AccountStateStore& state_store_;
  crypto::IdentityStore& identities_;
  crypto::PreKeyStore& pre_keys_;
  crypto::SignedPreKeyStore& signed_pre_keys_;
  PreKeyHandoutStore* const handouts_;  // nullable
  const AccountOptions options_;
  // Held by registration and Maintain() for their whole run, network calls
  // included, so they never interleave; readers never take it.
  absl::Mutex operation_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  // Held only to copy the state in or out, never across a call.
  mutable absl::Mutex mu_;
  AccountState state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_ACCOUNT_H_
