// The client's view of the relay API (proto/confidant/v1/relay.proto) as a
// small interface without gRPC types, so account, session and case logic can
// be tested against a fake. grpc_transport.h has the real implementation.
//
// Errors: every call fails with the relay's code and message; a relay that
// cannot be reached gives UNAVAILABLE "relay not reachable at HOST:PORT ...",
// a call without or with wrong credentials UNAUTHENTICATED.
#ifndef CONFIDANT_CLIENT_TRANSPORT_H_
#define CONFIDANT_CLIENT_TRANSPORT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "crypto/secret.h"
#include "crypto/sender_certificate.h"
#include "crypto/session.h"

namespace confidant::client {

enum class AccountKind { kUnspecified, kEmployee, kTrustPerson };

enum class Affiliation { kUnspecified, kInternal, kExternal };

// An organisation as its members see it.
struct Organisation {
  std::string id;  // 16 lowercase hex characters
  std::string name;

  friend bool operator==(const Organisation&, const Organisation&) = default;
};

// A trust person's public profile, shown to employees.
struct TrustPersonProfile {
  std::string display_name;
  Affiliation affiliation = Affiliation::kUnspecified;
  std::vector<std::string> languages;  // ISO 639-1, lowercase
  std::string intro;

  friend bool operator==(const TrustPersonProfile&,
                         const TrustPersonProfile&) = default;
};

// What the relay returns once for a new account.
struct Registration {
  std::string account_id;      // 16 bytes
  crypto::SecretBytes secret;  // 32 bytes; the relay keeps only its hash
  AccountKind kind = AccountKind::kUnspecified;
  std::vector<Organisation> organisations;
};

// Public halves of pre-keys, as uploaded.
struct SignedPreKeyUpload {
  uint32_t id = 0;
  std::string public_key;  // 33 bytes
  std::string signature;   // 64 bytes
};
struct OneTimePreKeyUpload {
  uint32_t id = 0;
  std::string public_key;  // 33 bytes
};

// One UploadKeys call. The first upload carries identity, registration id and
// signed pre-key; later ones may carry only a signed pre-key and/or one-time
// pre-keys (at most 100 per call).
struct KeyUpload {
  std::optional<std::string> identity_key;  // 33 bytes
  uint32_t registration_id = 0;             // with identity_key
  std::optional<SignedPreKeyUpload> signed_pre_key;
  std::vector<OneTimePreKeyUpload> one_time_pre_keys;
  bool replace_identity = false;
};

// A peer's pre-key bundle, ready for crypto::SessionManager::StartSession.
struct PeerBundle {
  std::string account_id;  // 16 bytes
  crypto::PreKeyBundle bundle;
};

// A trust person as listed in an organisation's directory.
struct DirectoryEntry {
  std::string account_id;  // 16 bytes
  TrustPersonProfile profile;
  std::string identity_key;  // 33 bytes
};

struct TrustPersonList {
  Organisation organisation;
  std::vector<DirectoryEntry> trust_persons;  // ordered by account id
};

// A sealed envelope from the caller's mailbox.
struct Envelope {
  uint64_t seq = 0;  // what Ack takes
  std::string content;
  uint32_t stored_hour = 0;  // whole hours since the Unix epoch
};

// One item of a mailbox stream: an envelope, or (once per stream) the marker
// that every queued envelope has been delivered and later ones arrive live.
struct ReceiveEvent {
  bool queue_empty = false;
  Envelope envelope;  // unset when queue_empty
};

// An open Receive stream. Read() from one thread at a time; Cancel() from any
// thread, also while Read() blocks.
class ReceiveStream {
 public:
  // Cancels the stream if it is still open.
  virtual ~ReceiveStream() = default;

  // Blocks for the next event. CANCELLED after Cancel(); UNAVAILABLE when the
  // relay goes away; never OK-and-empty.
  virtual absl::StatusOr<ReceiveEvent> Read() = 0;
  // Ends the stream; a blocked Read() returns CANCELLED. Thread-safe.
  virtual void Cancel() = 0;
};

// The relay API. Implementations are thread-safe.
class RelayTransport {
 public:
  virtual ~RelayTransport() = default;

  // Authenticates every later call except registration. Thread-safe.
  virtual void SetCredentials(std::string account_id,
                              crypto::SecretBytes secret) = 0;

  // A new employee account of the organisation with `access_code`
  // (PERMISSION_DENIED if unknown).
  virtual absl::StatusOr<Registration> RegisterEmployee(
      std::string_view access_code) = 0;
  // A new trust-person account; consumes the one-time `invite_code`.
  virtual absl::StatusOr<Registration> RegisterTrustPerson(
      std::string_view invite_code, const TrustPersonProfile& profile) = 0;

  // Uploads keys; returns the one-time pre-keys the relay holds afterwards.
  virtual absl::StatusOr<uint32_t> UploadKeys(const KeyUpload& upload) = 0;
  // The bundle of `account_id` (16 bytes); consumes one of its one-time
  // pre-keys if any is left.
  virtual absl::StatusOr<PeerBundle> GetPreKeyBundle(
      std::string_view account_id) = 0;
  // One-time pre-keys the relay still holds for the caller.
  virtual absl::StatusOr<uint32_t> GetPreKeyCount() = 0;

  // Trust persons (with keys) of `organisation_id`; empty means the
  // employee's only organisation.
  virtual absl::StatusOr<TrustPersonList> ListTrustPersons(
      std::string_view organisation_id) = 0;

  // The relay's signing keys, oldest first (key 1 is the root clients pin).
  // Needs no credentials.
  virtual absl::StatusOr<std::vector<crypto::RelayPublicKey>>
  GetRelayKeys() = 0;
  // A fresh sender certificate for the caller, in its wire form
  // (crypto/sender_certificate.h). FAILED_PRECONDITION before the first key
  // upload.
  virtual absl::StatusOr<std::string> GetSenderCertificate() = 0;

  // Queues `content` (a sealed envelope, 1..262144 bytes) for the recipient
  // (16-byte account id); returns its sequence number once durable.
  virtual absl::StatusOr<uint64_t> Send(std::string_view recipient_account_id,
                                        std::string_view content) = 0;
  // Deletes delivered envelopes (1..1000 seqs); returns how many existed.
  virtual absl::StatusOr<uint32_t> Ack(absl::Span<const uint64_t> seqs) = 0;
  // Opens the caller's mailbox stream: queued envelopes, one queue_empty
  // event, then live envelopes until Cancel(). Errors of opening (for example
  // UNAUTHENTICATED) surface on the first Read().
  virtual absl::StatusOr<std::unique_ptr<ReceiveStream>> OpenReceive() = 0;
};

// Reads every queued envelope up to the queue_empty marker, then closes the
// stream (what `confidant sync` needs). Live envelopes are not waited for.
inline absl::StatusOr<std::vector<Envelope>> DrainMailbox(
    RelayTransport& transport) {
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      transport.OpenReceive();
  if (!stream.ok()) return stream.status();
  std::vector<Envelope> out;
  while (true) {
    absl::StatusOr<ReceiveEvent> event = (*stream)->Read();
    if (!event.ok()) return event.status();
    if (event->queue_empty) break;
    out.push_back(std::move(event->envelope));
  }
  (*stream)->Cancel();
  return out;
}

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_TRANSPORT_H_
