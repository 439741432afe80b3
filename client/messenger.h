// Cases and their messages: the application layer inside the end-to-end
// encryption. A case is one conversation between an employee and a trust
// person, named by a random 16-byte id that only the two clients know.
//
// Storage in the ProfileStore (records of proto/confidant/client/v1/
// message.proto):
//   kCase                 case id -> CaseRecord
//   kMessage              case id | big-endian u64 sequence -> MessageRecord
//   kMessageIndexNamespace  message id -> MessageIndex (de-duplication and
//                         receipt lookup)
// A received message, its index entry and its case are written in one Batch
// before the relay envelope is acked, so delivery to the user is exactly-once
// although the relay delivers at least once.
#ifndef CONFIDANT_CLIENT_MESSENGER_H_
#define CONFIDANT_CLIENT_MESSENGER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/message_crypto.h"
#include "crypto/session.h"

namespace confidant::client {

// Profile namespace of the message index (message id -> MessageIndex).
inline constexpr Namespace kMessageIndexNamespace = static_cast<Namespace>(9);

// The largest TEXT body, in bytes of UTF-8.
inline constexpr size_t kMaxTextBytes = 64 * 1024;

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
  // Sending is blocked until AcceptSafetyNumber().
  bool identity_changed = false;
  // The peer's new identity key (33 bytes) if known, to show the new safety
  // number.
  std::string pending_identity_key;
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
  // Envelopes held back (not acked) because the sender's identity changed.
  int identity_changes = 0;
  // One reason per dropped envelope ("tampered", "malformed message", ...).
  std::vector<std::string> warnings;
};

// Sends and receives the messages of cases. Thread-safe: every method holds
// one lock. Everything passed must outlive the messenger.
class Messenger {
 public:
  // `own_account_id` is the local account's 16-byte id.
  Messenger(RelayTransport& transport, ProfileStore& profile,
            crypto::SessionManager& sessions, crypto::MessageCrypto& crypto,
            std::string own_account_id);

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

  // Trusts the peer's new identity key (after the user compared the new
  // safety number) and unblocks every case with that peer. FAILED_PRECONDITION
  // if the case is not blocked or the new key is not known yet.
  absl::Status AcceptSafetyNumber(std::string_view case_id);

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
  // Blocks the cases with the sender of `envelope`, whose identity changed.
  absl::Status MarkIdentityChanged(std::string_view envelope)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  RelayTransport& transport_;
  ProfileStore& profile_;
  crypto::SessionManager& sessions_;
  crypto::MessageCrypto& crypto_;
  const std::string own_account_id_;
  absl::Mutex mu_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_MESSENGER_H_
