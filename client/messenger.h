// Cases and their messages: the application layer inside the end-to-end
// encryption. A case is one conversation between an employee and a trust
// person, named by a random 16-byte id that only the two clients know.
//
// The messenger is the local half of the client: every method works on the
// profile alone and never calls the relay, so no lock is ever held across a
// network call. client/app/app.h does the talking: it feeds received
// envelopes to Receive(), and sends what Outgoing() lists.
//
// Storage in the ProfileStore (records of proto/confidant/client/v1/
// message.proto):
//   kCase                 case id -> CaseRecord
//   kMessage              case id | big-endian u64 sequence -> MessageRecord;
//                         a case's messages are read by sequence, never by
//                         scanning other cases
//   kMessageIndex         message id -> MessageIndex (de-duplication and
//                         receipt lookup)
//   kPendingIdentity      peer id -> PendingIdentity (a proven new identity
//                         key awaiting the user's check)
//   kHeldEnvelope         peer id | u64 relay seq -> HeldEnvelope
//   kOutbox               big-endian u64 order -> OutboxEntry
//   kMeta "verified.<peer id>"  the safety number the user verified
//   kMeta "outbox.next"   the next outbox order number
// Sending only queues: the message is stored as QUEUED together with its
// outbox entry, so it survives a restart and leaves when the relay can be
// reached. A received message, the Signal session state its decryption
// advanced, its index entry, its case and the outbox entry of its receipt
// are written in one batch before the relay envelope is acked
// (ProfileStore::Transaction): either all of it is kept or none, and the
// envelope is then delivered again. Delivery to the user is exactly-once
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
#include <functional>
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
#include "absl/types/span.h"
#include "base/random.h"
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
  kQueued,     // outgoing, in the outbox: not yet on the relay
  kSent,       // outgoing, durable on the relay
  kDelivered,  // outgoing, confirmed by the peer's receipt
  kReceived,   // incoming
  kFailed,     // outgoing, refused by the relay for good (see the warning)
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
  // The last status the trust person shared.
  client::v1::CaseEvent::SharedStatus shared_status =
      client::v1::CaseEvent::SHARED_STATUS_UNSPECIFIED;
  // Closed because it was handed over to another trust person.
  bool handed_over = false;
  // Our first outgoing entry; InfinitePast if none yet.
  absl::Time first_outgoing = absl::InfinitePast();
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
  // Set for an entry that is a case event (body empty); see case_policy.h.
  std::optional<client::v1::CaseEvent> event;
  // The sender's coarse clock, whole hours since the epoch.
  uint32_t client_hour = 0;
};

// What receiving did, in counts: never content, ids or sizes.
struct SyncReport {
  int received = 0;    // new TEXT messages stored
  int duplicates = 0;  // TEXT messages already stored (acked again)
  int dropped = 0;     // undecryptable, malformed or unknown (acked)
  int receipts = 0;    // delivery receipts applied
  // Envelopes of a peer who proved a new identity key, kept in the profile
  // until the user verifies the new safety number.
  int identity_changes = 0;
  // Held envelopes dropped because they expired or a newer key replaced
  // theirs.
  int held_dropped = 0;
  // Cases a trust person opened although this employee never wrote to them.
  int unsolicited = 0;
  // Envelopes of a blocked sender, dropped (and acked).
  int blocked = 0;
  // Outgoing messages and receipts that left for the relay.
  int sent = 0;
  // One reason per dropped envelope ("tampered", "malformed message", ...).
  std::vector<std::string> warnings;

  void Add(const SyncReport& other);
};

// What became of one envelope, for the app's observers.
struct Received {
  enum class Kind {
    kMessage,    // a new TEXT message or case event was stored
    kDuplicate,  // already stored
    kReceipt,    // a delivery receipt was applied
    kHeld,       // the sender proved a new identity key: kept for the check
    kDropped,    // undecryptable, malformed or of an unknown kind
    // Signed by a relay key we do not know yet: nothing was stored; learn
    // the relay's keys (CertificateManager::RefreshRelayKeys) and pass the
    // envelope again with `relay_keys_fresh`.
    kUnknownRelayKey,
  };
  Kind kind = Kind::kDropped;
  std::string case_id;     // kMessage, kReceipt
  bool new_case = false;   // kMessage: the peer opened this case
  std::string message_id;  // kMessage
  // kMessage: which case event it was, EVENT_NOT_SET for text.
  client::v1::CaseEvent::EventCase event = client::v1::CaseEvent::EVENT_NOT_SET;
  // kMessage: the event's content, when `event` is set.
  client::v1::CaseEvent event_content;
  // kReceipt: our messages that became delivered.
  std::vector<std::string> delivered;
  std::string peer_account_id;  // kHeld: whose identity changed
  SyncReport report;            // the counts of this envelope
};

// One item the outbox is ready to send.
struct Outgoing {
  uint64_t order = 0;  // the outbox key
  // Further outbox keys sent with it (the receipts of one case).
  std::vector<uint64_t> also;
  bool receipt = false;
  std::string case_id;
  std::string peer_account_id;
  std::string message_id;  // TEXT: ours
  // The AppMessage to encrypt.
  std::string plaintext;
};

// Delays and limits of the messenger.
struct MessengerOptions {
  // The receipts to one peer leave together after one random delay in
  // [min, max], drawn when the first of them was queued: one receipt
  // message per case of that peer, sent in one round (docs/protocol.md,
  // "Receipt timing").
  absl::Duration receipt_delay_min = absl::Seconds(5);
  absl::Duration receipt_delay_max = absl::Seconds(60);
  // Draws the delays; the system's generator if unset. Must outlive the
  // messenger.
  base::Random* random = nullptr;
};

// Sends and receives the messages of cases, locally: see the comment at the
// top. Thread-safe: every method holds one lock, and none calls the relay.
// Everything passed must outlive the messenger.
class Messenger {
 public:
  // `own_account_id` is the local account's 16-byte id and `own_kind` its
  // kind (an employee's client flags unsolicited first contacts).
  Messenger(ProfileStore& profile, crypto::SessionManager& sessions,
            crypto::MessageCrypto& crypto, std::string own_account_id,
            AccountKind own_kind, MessengerOptions options = {});

  Messenger(const Messenger&) = delete;
  Messenger& operator=(const Messenger&) = delete;

  // Opens a new case with a trust person (16-byte account id) and queues
  // `first_message`. Returns the case id. FAILED_PRECONDITION if the peer's
  // identity changed.
  absl::StatusOr<std::string> OpenCase(std::string_view trust_person_account_id,
                                       std::string_view first_message,
                                       absl::Time now);

  // Queues `text` (UTF-8, 1..kMaxTextBytes) in a case; returns the message
  // id. NOT_FOUND "unknown case"; FAILED_PRECONDITION while the peer's safety
  // number changed, or once the case is closed (handed over).
  absl::StatusOr<std::string> SendText(std::string_view case_id,
                                       std::string_view text, absl::Time now);
  // Queues a case event (client/case_policy.h decides whether we may send
  // it: PERMISSION_DENIED; INVALID_ARGUMENT if malformed); returns the
  // message id. The case's record takes what the event changes (a shared
  // status; a consented hand-over closes the case). NOT_FOUND "unknown
  // case"; FAILED_PRECONDITION while the peer's safety number changed or
  // the case is closed.
  absl::StatusOr<std::string> SendEvent(std::string_view case_id,
                                        const client::v1::CaseEvent& event,
                                        absl::Time now);
  // Opens a new case with a trust person whose entries are `events`, the
  // first of which must be one that may open a case (a hand-over's intro).
  // Returns the case id; all of it is queued in one batch.
  absl::StatusOr<std::string> OpenCaseWithEvents(
      std::string_view trust_person_account_id,
      const std::vector<client::v1::CaseEvent>& events, absl::Time now);

  // Blocks `peer`: its later envelopes are dropped and acked, and counted,
  // and those held for a safety-number check are dropped (counted too) in
  // the same write. Blocking again keeps the count. Only trust persons block
  // (PERMISSION_DENIED).
  absl::Status Block(std::string_view peer, absl::Time now);
  absl::Status Unblock(std::string_view peer);
  // The block of `peer`, or nullopt.
  absl::StatusOr<std::optional<client::v1::BlockedSender>> Blocked(
      std::string_view peer);
  // Removes a case and everything of it from the profile: its record,
  // messages, index entries and outbox entries. NOT_FOUND "unknown case".
  // Whether the case may go is the caller's policy.
  absl::Status Purge(std::string_view case_id);

  // Opens one envelope of our mailbox and stores, applies, holds or drops it
  // (see Received). An error means nothing was stored and the envelope must
  // not be acked; OK means it may be.
  absl::StatusOr<Received> Receive(const Envelope& envelope, absl::Time now,
                                   bool relay_keys_fresh);
  // Receive() for several envelopes in one atomic batch (one synced write):
  // a queue is caught up on far faster. Stops after an envelope of kind
  // kUnknownRelayKey (the last result); the later ones were not looked at.
  // An error means nothing of the batch was stored.
  absl::StatusOr<std::vector<Received>> ReceiveBatch(
      absl::Span<const Envelope> envelopes, absl::Time now,
      bool relay_keys_fresh);

  // Drops held envelopes past kHeldEnvelopeLifetime, then receives the held
  // envelopes of every peer whose new identity the user accepted (normally
  // done by VerifySafetyNumber; again here if that was interrupted). The
  // events of what was received are appended to `events`.
  absl::StatusOr<SyncReport> ProcessHeld(absl::Time now, bool relay_keys_fresh,
                                         std::vector<Received>* events);

  // What the outbox can send now, in order: queued messages of every case
  // whose peer's identity is trusted, then, for each peer one of whose
  // receipts is due, every receipt queued for that peer (one item per case,
  // the peer's items next to each other). At most `limit` items.
  absl::StatusOr<std::vector<Outgoing>> ReadyToSend(absl::Time now,
                                                    size_t limit);
  // Queued messages (not receipts) still to send.
  absl::StatusOr<uint32_t> QueuedCount();
  // The envelope of `item`, sealed under our sender `certificate`.
  // FAILED_PRECONDITION with crypto error kNoSession if there is no session
  // with the peer yet (StartSession first); FAILED_PRECONDITION if the
  // peer's identity changed meanwhile.
  absl::StatusOr<std::string> Seal(const Outgoing& item,
                                   std::string_view certificate);
  // Whether a session with `peer` exists.
  bool HasSession(std::string_view peer);
  // Starts a session with `peer` from the relay's bundle. FAILED_PRECONDITION
  // if the bundle's identity is not the trusted one.
  absl::Status StartSession(std::string_view peer,
                            const crypto::PreKeyBundle& bundle);
  // `item` is on the relay: removed from the outbox, its message SENT.
  absl::Status MarkSent(const Outgoing& item);
  // The relay refused `item` for good: removed from the outbox, its message
  // FAILED.
  absl::Status MarkFailed(const Outgoing& item);

  // Idle-time work that makes the next sends faster: ephemeral keys for the
  // sealed layer are made ahead of time. Sends work without it.
  absl::Status PrepareForSending();

  // Every case, most recent activity first.
  absl::StatusOr<std::vector<CaseSummary>> ListCases();
  // One case. NOT_FOUND "unknown case".
  absl::StatusOr<CaseSummary> GetCase(std::string_view case_id);
  // The messages of a case, oldest first. NOT_FOUND "unknown case".
  absl::StatusOr<std::vector<CaseMessage>> ReadCase(std::string_view case_id);
  // One message of a case, or NOT_FOUND.
  absl::StatusOr<CaseMessage> ReadMessage(std::string_view case_id,
                                          std::string_view message_id);
  // Sets the case's unread count to zero. NOT_FOUND "unknown case".
  absl::Status MarkRead(std::string_view case_id);

  // The case's safety number: with the peer's new key while it awaits the
  // user's check. NOT_FOUND "unknown case".
  absl::StatusOr<SafetyNumberState> SafetyNumber(std::string_view case_id);

  // The user compared `compared` (the 60 digits; spaces ignored) with the
  // peer and found them equal. If it is the case's current safety number it
  // is recorded as verified; while the peer's identity changed, the new key
  // is trusted, every case with the peer unblocks, and the held envelopes
  // are decrypted and stored (their events appended to `events`).
  // FAILED_PRECONDITION "the safety number you compared is not the current
  // one" otherwise: nothing is trusted then, so a key that changed after the
  // user looked is never trusted by mistake. NOT_FOUND "unknown case".
  absl::StatusOr<SyncReport> VerifySafetyNumber(std::string_view case_id,
                                                std::string_view compared,
                                                absl::Time now,
                                                std::vector<Received>* events);

 private:
  // Validates `text` and queues it in the case `record` (updated) in one
  // batch with `batch`'s other changes; returns the message id.
  absl::StatusOr<std::string> QueueTextLocked(std::string_view case_id,
                                              client::v1::CaseRecord& record,
                                              std::string_view text,
                                              absl::Time now,
                                              ProfileStore::Batch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Loads the open case `case_id` (NOT_FOUND; FAILED_PRECONDITION once
  // closed), lets `queue` add our next entry to a batch, and writes it.
  absl::StatusOr<std::string> QueueInOpenCaseLocked(
      std::string_view case_id,
      const std::function<absl::StatusOr<std::string>(
          client::v1::CaseRecord&, ProfileStore::Batch&)>& queue)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The same for a case event (checked against the policy).
  absl::StatusOr<std::string> QueueEventLocked(
      std::string_view case_id, client::v1::CaseRecord& record,
      const client::v1::CaseEvent& event, absl::Time now,
      ProfileStore::Batch& batch, std::optional<uint64_t>* next_order = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores `stored` (text or event) as our next entry of the case and its
  // outbox entry. `next_order` carries the outbox counter between several
  // items queued in one batch.
  absl::StatusOr<std::string> QueueLocked(
      std::string_view case_id, client::v1::CaseRecord& record,
      client::v1::MessageRecord stored, absl::Time now,
      ProfileStore::Batch& batch, std::optional<uint64_t>* next_order = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // OK if a case with `peer` may be opened: a 16-byte id, not ours.
  absl::Status CheckPeer(std::string_view peer) const;
  // The next outbox key; bumps the counter in `batch` (and in `cache`, if
  // given, which is read instead of the profile once set).
  absl::StatusOr<uint64_t> NextOrder(ProfileStore::Batch& batch,
                                     std::optional<uint64_t>* cache = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One envelope, inside the caller's ProfileStore::Transaction.
  absl::StatusOr<Received> ReceiveLocked(const Envelope& envelope,
                                         absl::Time now, bool relay_keys_fresh)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores a decrypted message (or applies a receipt), inside the caller's
  // transaction.
  absl::Status Deliver(const crypto::OpenedMessage& opened, absl::Time now,
                       Received& out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Keeps `envelope` of a peer who proved the new key `identity_key`.
  absl::Status Hold(const Envelope& envelope, const std::string& peer,
                    const std::string& identity_key, absl::Time now,
                    SyncReport& report) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<SyncReport> ProcessHeldLocked(absl::Time now,
                                               bool relay_keys_fresh,
                                               std::vector<Received>* events)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Finishes `item`: its outbox entries go, its message gets `delivery`.
  absl::Status Finish(const Outgoing& item,
                      client::v1::MessageRecord::Delivery delivery)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The pending identity of `peer`, if any.
  absl::StatusOr<std::optional<client::v1::PendingIdentity>> Pending(
      std::string_view peer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<CaseSummary> SummaryLocked(std::string case_id,
                                            const client::v1::CaseRecord& r)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
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

  ProfileStore& profile_;
  crypto::SessionManager& sessions_;
  crypto::MessageCrypto& crypto_;
  const std::string own_account_id_;
  const AccountKind own_kind_;
  const MessengerOptions options_;
  absl::Mutex mu_;
  // Peer -> when the receipts queued for it leave (one delay per peer).
  // Forgotten on restart: a new receipt then draws a new delay, and
  // ReadyToSend() still sends all of a peer's receipts once one is due.
  std::map<std::string, absl::Time> receipt_due_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_MESSENGER_H_
