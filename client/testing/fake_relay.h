// An in-process relay behind client/transport.h, for fast tests of the
// account, messenger and app logic: the relay's mailbox semantics (per
// recipient, increasing sequence numbers, queued envelopes then one
// queue_empty marker then live ones, Ack by seq), its pre-key bundles, its
// registration rules, its relay keys and sender certificates (really signed,
// so clients verify them), and its error codes and messages. Slow tests keep
// the real confidant-relay; tests/client/transport_contract_test.cc runs one
// suite against both.
//
// Not modelled: rate limits, invite expiry, the relay's Unicode check of
// profile text (only ASCII control characters are refused here), the
// canonical and small-order checks of Curve25519 keys, and expiry of
// undelivered envelopes.
//
// Test-only: built as confidant_client_testing, linked only by tests.
#ifndef CONFIDANT_CLIENT_TESTING_FAKE_RELAY_H_
#define CONFIDANT_CLIENT_TESTING_FAKE_RELAY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "client/transport.h"
#include "crypto/secret.h"
#include "crypto/sender_certificate.h"

namespace confidant::client {

struct FakeRelayOptions {
  // Named in UNAVAILABLE messages, like a real relay's HOST:PORT.
  std::string address = "fake-relay.invalid:7443";
  // The relay's clock (stored hours, certificate expiry); absl::Now if unset.
  std::function<absl::Time()> clock;
  // The real relay's defaults (server/relay_service.h, RelayLimits).
  uint32_t max_envelope_bytes = 256 * 1024;
  uint32_t max_queued_per_mailbox = 10000;
  uint32_t max_one_time_pre_keys = 1000;
  uint32_t max_pre_keys_per_upload = 100;
  int max_streams_per_account = 4;
};

// The calls of RelayTransport, for counting and fault injection.
enum class RelayMethod {
  kRegisterEmployee,
  kRegisterTrustPerson,
  kUploadKeys,
  kGetPreKeyBundle,
  kGetPreKeyCount,
  kListTrustPersons,
  kGetRelayKeys,
  kGetSenderCertificate,
  kSend,
  kAck,
  kOpenReceive,
};
inline constexpr size_t kRelayMethodCount = 11;

// The shared world of one relay: organisations, access codes, invites,
// accounts, keys and mailboxes. Hands out any number of transports (one per
// simulated client). Thread-safe. Must outlive every transport and stream it
// handed out.
class FakeRelay {
 public:
  // A relay with a fresh signing key 1. INTERNAL if no key can be made.
  static absl::StatusOr<std::unique_ptr<FakeRelay>> Create(
      FakeRelayOptions options = {});

  FakeRelay(const FakeRelay&) = delete;
  FakeRelay& operator=(const FakeRelay&) = delete;
  ~FakeRelay();

  // What `confidant-admin org create` returns.
  struct CreatedOrganisation {
    Organisation organisation;
    std::string access_code;  // "XXXXX-XXXXX-XXXXX-XXXXX"
  };
  // A new organisation. ALREADY_EXISTS if the name (ignoring ASCII case) is
  // taken, INVALID_ARGUMENT for an empty name.
  absl::StatusOr<CreatedOrganisation> CreateOrganisation(std::string_view name);
  // A one-time invite for a trust person of `organisation_ids` (at least
  // one). NOT_FOUND for an unknown organisation.
  absl::StatusOr<std::string> CreateInvite(
      const std::vector<std::string>& organisation_ids);

  // A transport for one client, without credentials. Owned by the caller;
  // must not outlive this relay.
  std::unique_ptr<RelayTransport> NewTransport();

  // The relay's public key chain (what GetRelayKeys returns) and the
  // fingerprint of key 1, for pinning.
  std::vector<crypto::RelayPublicKey> RelayKeys() const;
  std::string RootFingerprint() const;

  // ---- Test controls ----

  // While unreachable, every call fails with UNAVAILABLE "relay not
  // reachable at ADDRESS: ..." and every open stream breaks (its blocked or
  // next Read() returns that error, also after the relay is reachable
  // again). Reachable by default.
  void SetReachable(bool reachable);
  bool reachable() const;

  // Calls of `method` so far, over all transports, whatever their result.
  int64_t CallCount(RelayMethod method) const;

  // The next call of `method` (on any transport) fails with `error`, which
  // must not be OK. With `after_effect` the call first takes effect (an
  // envelope is stored, a key consumed) and only its reply is lost, as when
  // a connection drops after the relay committed. For kOpenReceive the error
  // surfaces on the stream's first Read().
  void FailNextCall(RelayMethod method, absl::Status error,
                    bool after_effect = false);

  // While held, calls of `method` (on any transport) wait before taking
  // effect until ReleaseCalls(method), like a relay slow to answer; other
  // calls go on meanwhile.
  void HoldCalls(RelayMethod method);
  void ReleaseCalls(RelayMethod method);
  // Waits until a call of `method` is being held; false after `timeout`.
  bool WaitForHeldCall(RelayMethod method, absl::Duration timeout);

  // Envelopes queued (sent and not acknowledged) for `account_id`.
  size_t QueuedCount(std::string_view account_id) const;
  // Receive streams of `account_id` that are open and not broken.
  int OpenStreamCount(std::string_view account_id) const;

 private:
  class Transport;
  class Stream;

  struct OrganisationEntry {
    Organisation organisation;
    std::string access_code;  // normalised
  };
  struct SignedPreKey {
    uint32_t id = 0;
    std::string public_key;
    std::string signature;
  };
  struct AccountKeys {
    std::string identity_key;
    uint32_t registration_id = 0;
    SignedPreKey signed_pre_key;
    std::map<uint32_t, std::string> one_time;  // id -> public key
  };
  struct Account {
    std::string id;
    crypto::SecretBytes secret;
    AccountKind kind = AccountKind::kUnspecified;
    std::vector<std::string> organisation_ids;
    TrustPersonProfile profile;
    std::optional<AccountKeys> keys;
  };
  struct Mailbox {
    uint64_t last_seq = 0;  // kept when empty: seqs are never reused
    std::map<uint64_t, Envelope> envelopes;
  };
  struct Injection {
    absl::Status error;
    bool after_effect = false;
  };

  FakeRelay(FakeRelayOptions options, crypto::RelaySigningKey key);

  struct Credentials {
    std::string account_id;  // empty: none set
    crypto::SecretBytes secret;
  };

  uint32_t NowHour() const;
  std::string RandomBytes(size_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string NewCode(int groups) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Unreachable() const;
  // Waits (releasing the lock meanwhile) while calls of `method` are held.
  void WaitWhileHeld(RelayMethod method) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Counts the call; the error it fails with before taking effect (relay
  // unreachable, injected error), else OK with an after-effect injection
  // moved to `out_after`.
  absl::Status BeginCall(RelayMethod method,
                         std::optional<Injection>* out_after)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // One call as the relay serves it, under the lock: counted, refused while
  // unreachable or with an injected error, authenticated unless `caller` is
  // null, then `op(account or null, args...)`.
  template <typename T, typename... Params, typename... Args>
  absl::StatusOr<T> Call(RelayMethod method, const Credentials* caller,
                         absl::StatusOr<T> (FakeRelay::*op)(Account*,
                                                            Params...),
                         Args&&... args) ABSL_LOCKS_EXCLUDED(mu_);
  // OpenReceive's checks; the account whose mailbox the stream reads.
  absl::StatusOr<std::string> OpenCheck(const Credentials& caller)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The caller's account, or UNAUTHENTICATED as the relay says it.
  absl::StatusOr<Account*> Authenticate(const Credentials& caller)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // The operations, each with the lock held.
  absl::StatusOr<Registration> Register(Account* unused,
                                        std::string_view typed_code,
                                        const TrustPersonProfile* profile)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<uint32_t> UploadKeys(Account* me, const KeyUpload& upload)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<PeerBundle> TakeBundle(Account* me,
                                        std::string_view account_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<uint32_t> CountPreKeys(Account* me)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<TrustPersonList> ListTrustPersons(
      Account* me, std::string_view organisation_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<crypto::RelayPublicKey>> PublishKeys(
      Account* unused) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::string> IssueCertificate(Account* me)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<uint64_t> Send(Account* me,
                                std::string_view recipient_account_id,
                                std::string_view content)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<uint32_t> Ack(Account* me, absl::Span<const uint64_t> seqs)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::vector<Organisation> OrganisationsOf(const Account& account) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int OpenStreamCountLocked(std::string_view account_id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const FakeRelayOptions options_;
  // Immutable after construction: the relay never rotates.
  const crypto::RelaySigningKey signing_key_;
  const crypto::RelayPublicKey public_key_;

  mutable absl::Mutex mu_;
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
  bool reachable_ ABSL_GUARDED_BY(mu_) = true;
  std::array<int64_t, kRelayMethodCount> calls_ ABSL_GUARDED_BY(mu_) = {};
  std::array<std::optional<Injection>, kRelayMethodCount> injections_
      ABSL_GUARDED_BY(mu_);
  std::array<bool, kRelayMethodCount> held_ ABSL_GUARDED_BY(mu_) = {};
  std::array<int, kRelayMethodCount> waiting_ ABSL_GUARDED_BY(mu_) = {};
  std::map<std::string, OrganisationEntry> organisations_ ABSL_GUARDED_BY(mu_);
  // Normalised invite code -> organisation ids.
  std::map<std::string, std::vector<std::string>> invites_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Account> accounts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Mailbox> mailboxes_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<Stream*> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_TESTING_FAKE_RELAY_H_
