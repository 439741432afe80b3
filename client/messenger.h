// Cases and their messages: the application layer inside the end-to-end
// encryption. A case is one conversation between an employee and a trust
// person, named by a random 16-byte id that only the two clients know.
//
// Storage in the ProfileStore (records of proto/confidant/client/v1/
// message.proto):
//   kCase                 case id -> CaseRecord
//   kMessage              case id | big-endian u64 sequence -> MessageRecord
//   kMessageIndex         message id -> MessageIndex (de-duplication and
//                         receipt lookup)
//   kPendingIdentity      peer id -> PendingIdentity (a proven new identity
//                         key awaiting the user's check)
//   kHeldEnvelope         peer id | u64 relay seq -> HeldEnvelope
//   kMeta "verified.<peer id>"  the safety number the user verified
// A received message, its index entry and its case are written in one Batch
// before the relay envelope is acked, so delivery to the user is exactly-once
// although the relay delivers at least once.
//
// Who a message is from is what the relay certified and the Signal message
// proved (crypto/message_crypto.h). An envelope that does not check out is
// dropped and acked, whoever it claims to be from, so the acks tell the relay
// nothing about who talks to whom. A peer that proves a new identity key
// blocks its cases until the user compares the new safety number and passes
// it to VerifySafetyNumber(); its envelopes meanwhile wait in the profile
// (at most kMaxHeldPerPeer, for at most kHeldEnvelopeLifetime).
#ifndef CONFIDANT_CLIENT_MESSENGER_H_
#define CONFIDANT_CLIENT_MESSENGER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/certificates.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/message_crypto.h"
#include "crypto/safety_number.h"
#include "crypto/session.h"

namespace confidant::client {

// The largest TEXT body, in bytes of UTF-8.
inline constexpr size_t kMaxTextBytes = 64 * 1024;

// Envelopes kept per peer while its new identity awaits the user's check,
// and how long each is kept.
inline constexpr size_t kMaxHeldPerPeer = 200;
inline constexpr absl::Duration kHeldEnvelopeLifetime = absl::Hours(24 * 30);

enum class CaseStatus { kOpen, kClosed };
enum class Direction { kOutgoing, kIncoming };
enum class DeliveryState {
  kSent,       // outgoing, durable on the relay
  kDelivered,  // outgoing, confirmed by the peer's receipt
  kReceived,   // incoming
};

// One case as the inbox shows it.
struct CaseSummary {
  std::string case_id;          // 16 bytes
  std::string peer_account_id;  // 16 bytes
  absl::Time created;
  CaseStatus status = CaseStatus::kOpen;
  absl::Time last_activity;
  uint32_t unread_count = 0;
  bool opened_by_us = false;
  // The peer proved a new identity key: sending is blocked until the user
  // verifies the new safety number (VerifySafetyNumber).
  bool identity_changed = false;
  // That new identity key (33 bytes), to show the new safety number.
  std::string pending_identity_key;
  // The peer's messages waiting for that check.
  uint32_t held_messages = 0;
  // The trust person opened this case although this employee never wrote
  // to them: a first contact to be wary of.
  bool unsolicited = false;
};

// A case's safety number as the user should compare it.
struct SafetyNumberState {
  // With the new key while the peer's identity changed.
  crypto::SafetyNumber number;
  // The user verified exactly this number.
  bool verified = false;
  // The peer proved a new identity key that awaits the user's check.
  bool changed = false;
};

// One message of a case.
struct CaseMessage {
  std::string message_id;  // 16 bytes
  Direction direction = Direction::kOutgoing;
  std::string body;
  absl::Time time;  // local time of sending or receiving
  DeliveryState delivery = DeliveryState::kSent;
};

// What one Sync() did. Counts only: never content, ids or sizes.
struct SyncReport {
  int received = 0;    // new TEXT messages stored
  int duplicates = 0;  // TEXT messages already stored (acked again)
  int dropped = 0;     // undecryptable or malformed envelopes (acked)
  int receipts = 0;    // delivery receipts applied
  // Envelopes of a peer who proved a new identity key, kept in the profile
  // until the user verifies the new safety number.
  int identity_changes = 0;
  // Held envelopes dropped because they expired or a newer key replaced
  // theirs.
  int held_dropped = 0;
  // Cases a trust person opened although this employee never wrote to them.
  int unsolicited = 0;
  // One reason per dropped envelope ("tampered", "malformed message", ...).
  std::vector<std::string> warnings;
};

// Sends and receives the messages of cases. Thread-safe: every method holds
// one lock. Everything passed must outlive the messenger.
class Messenger {
 public:
  // `own_account_id` is the local account's 16-byte id and `own_kind` its
  // kind (an employee's client flags unsolicited first contacts).
  Messenger(RelayTransport& transport, ProfileStore& profile,
            crypto::SessionManager& sessions, crypto::MessageCrypto& crypto,
            CertificateManager& certificates, std::string own_account_id,
            AccountKind own_kind);

  Messenger(const Messenger&) = delete;
  Messenger& operator=(const Messenger&) = delete;

  // Opens a new case with a trust person (16-byte account id) and sends
  // `first_message`; starts a session from the relay's bundle if none exists.
  // Returns the case id. FAILED_PRECONDITION if the peer's identity changed.
  absl::StatusOr<std::string> OpenCase(std::string_view trust_person_account_id,
                                       std::string_view first_message,
                                       absl::Time now);

  // Sends `text` (UTF-8, 1..kMaxTextBytes) in a case. NOT_FOUND "unknown
  // case"; FAILED_PRECONDITION while the peer's safety number changed.
  absl::Status SendText(std::string_view case_id, std::string_view text,
                        absl::Time now);

  // Receives every queued envelope, stores new messages, applies receipts,
  // acks what was handled and sends receipts for new messages. Transport and
  // storage errors end the sync; envelopes not yet stored stay queued.
  absl::StatusOr<SyncReport> Sync(absl::Time now);

  // Idle-time work that makes the next sends faster: ephemeral keys for the
  // sealed layer are made ahead of time. Sends work without it.
  absl::Status PrepareForSending() { return crypto_.PrepareForSending(); }

  // Every case, most recent activity first.
  absl::StatusOr<std::vector<CaseSummary>> ListCases();
  // The messages of a case, oldest first. NOT_FOUND "unknown case".
  absl::StatusOr<std::vector<CaseMessage>> ReadCase(std::string_view case_id);
  // Sets the case's unread count to zero. NOT_FOUND "unknown case".
  absl::Status MarkRead(std::string_view case_id);

  // The case's safety number: with the peer's new key while it awaits the
  // user's check. NOT_FOUND "unknown case".
  absl::StatusOr<SafetyNumberState> SafetyNumber(std::string_view case_id);

  // The user compared `compared` (the 60 digits; spaces ignored) with the
  // peer and found them equal. If it is the case's current safety number it
  // is recorded as verified; while the peer's identity changed, the new key
  // is trusted, every case with the peer unblocks, and the held envelopes
  // are decrypted and stored (their count in the report). FAILED_PRECONDITION
  // "the safety number you compared is not the current one" otherwise:
  // nothing is trusted then, so a key that changed after the user looked is
  // never trusted by mistake. NOT_FOUND "unknown case".
  absl::StatusOr<SyncReport> VerifySafetyNumber(std::string_view case_id,
                                                std::string_view compared,
                                                absl::Time now);

 private:
  // Encrypts and sends `text`, then stores it and `record` (updated) in one
  // batch.
  absl::Status SendTextLocked(std::string_view case_id,
                              client::v1::CaseRecord& record,
                              std::string_view text, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sends one receipt confirming `message_ids` to `peer`.
  absl::Status SendReceipts(const std::string& case_id, const std::string& peer,
                            const std::vector<std::string>& message_ids,
                            absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // What became of one envelope (messenger_receive.cc).
  enum class Outcome { kHandled, kHeld };
  // case id -> (peer, received message ids), for the receipts to send.
  using Receipts =
      std::map<std::string, std::pair<std::string, std::vector<std::string>>>;
  // Opens one envelope and stores, applies, holds or drops it. An error
  // means it was not handled and must stay queued.
  absl::StatusOr<Outcome> Receive(const Envelope& envelope, absl::Time now,
                                  bool& keys_refreshed, SyncReport& report,
                                  Receipts& receipts)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores a decrypted message (or applies a receipt).
  absl::Status Deliver(const crypto::OpenedMessage& opened, absl::Time now,
                       SyncReport& report, Receipts& receipts)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Keeps `envelope` of a peer who proved the new key `identity_key`.
  absl::Status Hold(const Envelope& envelope, const std::string& peer,
                    const std::string& identity_key, absl::Time now,
                    SyncReport& report) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Receives the held envelopes of every peer whose new identity was
  // accepted (normally right after VerifySafetyNumber; again at the next
  // Sync if that was interrupted).
  absl::Status ReplayHeld(absl::Time now, SyncReport& report,
                          Receipts& receipts)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops held envelopes past kHeldEnvelopeLifetime.
  absl::Status ExpireHeld(absl::Time now, SyncReport& report)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sends the receipts collected by Deliver(); the first error.
  absl::Status SendAllReceipts(const Receipts& receipts, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The pending identity of `peer`, if any.
  absl::StatusOr<std::optional<client::v1::PendingIdentity>> Pending(
      std::string_view peer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The key a safety number with `peer` is made of: the pending new one, or
  // the trusted one.
  struct PeerKey {
    std::string key;
    bool pending = false;
  };
  absl::StatusOr<PeerKey> CurrentPeerKey(std::string_view peer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The safety number with `peer` whose identity key is `peer_key`.
  absl::StatusOr<crypto::SafetyNumber> SafetyWith(std::string_view peer,
                                                  std::string_view peer_key);

  RelayTransport& transport_;
  ProfileStore& profile_;
  crypto::SessionManager& sessions_;
  crypto::MessageCrypto& crypto_;
  CertificateManager& certificates_;
  const std::string own_account_id_;
  const AccountKind own_kind_;
  absl::Mutex mu_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_MESSENGER_H_
