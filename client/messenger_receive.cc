// Receiving: one envelope at a time, the held envelopes of a peer whose
// identity changed, and the user's verification of a safety number.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "base/bytes.h"
#include "client/case_policy.h"
#include "client/messenger.h"
#include "client/messenger_internal.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/errors.h"

namespace confidant::client {

using ::confidant::client::v1::AppMessage;
using ::confidant::client::v1::BlockedSender;
using ::confidant::client::v1::CaseEvent;
using ::confidant::client::v1::CaseRecord;
using ::confidant::client::v1::HeldEnvelope;
using ::confidant::client::v1::MessageIndex;
using ::confidant::client::v1::MessageRecord;
using ::confidant::client::v1::OutboxEntry;
using ::confidant::client::v1::PendingIdentity;
using internal::Corrupt;
using internal::Entries;
using internal::kIdSize;
using internal::LoadRecord;
using internal::SequenceKey;

namespace {

// The decimal digits of what the user typed or read out.
std::string Digits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

absl::Status NotCurrentError() {
  return absl::FailedPreconditionError(
      "the safety number you compared is not the current one; compare the "
      "number shown now and verify again");
}

}  // namespace

absl::StatusOr<Received> Messenger::Receive(const Envelope& e, absl::Time now,
                                            bool relay_keys_fresh) {
  absl::StatusOr<std::vector<Received>> received =
      ReceiveBatch(absl::MakeConstSpan(&e, 1), now, relay_keys_fresh);
  if (!received.ok()) return received.status();
  return std::move(received->front());
}

absl::StatusOr<std::vector<Received>> Messenger::ReceiveBatch(
    absl::Span<const Envelope> envelopes, absl::Time now,
    bool relay_keys_fresh) {
  absl::MutexLock lock(&mu_);
  std::vector<Received> out;
  out.reserve(envelopes.size());
  // The session state each decryption advances commits together with what
  // the messages change, or not at all: one synced write for the batch.
  ProfileStore::Transaction txn(profile_);
  for (const Envelope& e : envelopes) {
    absl::StatusOr<Received> received = ReceiveLocked(e, now, relay_keys_fresh);
    if (!received.ok()) return received.status();
    out.push_back(*std::move(received));
    if (out.back().kind == Received::Kind::kUnknownRelayKey) break;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) return s;
  return out;
}

absl::StatusOr<Received> Messenger::ReceiveLocked(const Envelope& e,
                                                  absl::Time now,
                                                  bool relay_keys_fresh) {
  Received out;
  absl::StatusOr<crypto::OpenedMessage> opened =
      crypto_.Decrypt(e.content, e.stored_hour);
  if (!opened.ok()) {
    const crypto::CryptoError kind = crypto::GetCryptoError(opened.status());
    if (kind == crypto::CryptoError::kInternal ||
        kind == crypto::CryptoError::kNone) {
      return opened.status();
    }
    if (kind == crypto::CryptoError::kUnknownRelayKey && !relay_keys_fresh) {
      // The relay may have rotated its key: the caller learns the chain.
      out.kind = Received::Kind::kUnknownRelayKey;
      return out;
    }
    // Forged, tampered, replayed or otherwise unverifiable: dropped the same
    // way whoever it claims to be from.
    out.kind = Received::Kind::kDropped;
    ++out.report.dropped;
    out.report.warnings.push_back(std::string(crypto::CryptoErrorName(kind)));
    return out;
  }
  // A blocked sender's envelopes are acked like any other, so the relay
  // sees nothing new; only the count remembers them. Checked before
  // anything else, a changed identity included: it is theirs to drop too.
  const std::string& sender = opened->sender_account_id;
  absl::StatusOr<std::optional<BlockedSender>> blocked =
      LoadRecord<BlockedSender>(profile_, Namespace::kBlockedSender, sender);
  if (!blocked.ok()) return blocked.status();
  if (blocked->has_value()) {
    (*blocked)->set_dropped((*blocked)->dropped() + 1);
    if (absl::Status s = profile_.Put(Namespace::kBlockedSender, sender,
                                      (*blocked)->SerializeAsString());
        !s.ok()) {
      return s;
    }
    out.kind = Received::Kind::kDropped;
    ++out.report.blocked;
    return out;
  }
  if (opened->identity_changed) {
    if (absl::Status s = Hold(e, opened->sender_account_id,
                              opened->sender_identity_key, now, out.report);
        !s.ok()) {
      return s;
    }
    out.kind = Received::Kind::kHeld;
    out.peer_account_id = opened->sender_account_id;
    return out;
  }
  if (absl::Status s = Deliver(*opened, now, out); !s.ok()) return s;
  return out;
}

absl::Status Messenger::Deliver(const crypto::OpenedMessage& opened,
                                absl::Time now, Received& out) {
  SyncReport& report = out.report;
  auto drop = [&](std::string reason) {
    out.kind = Received::Kind::kDropped;
    ++report.dropped;
    report.warnings.push_back(std::move(reason));
    return absl::OkStatus();
  };
  const std::string& sender = opened.sender_account_id;
  AppMessage message;
  if (!message.ParseFromString(opened.plaintext)) {
    return drop("malformed message");
  }
  if (!internal::IsWellFormed(message)) {
    // A kind a newer client knows, or garbage: acked, never shown.
    const bool unknown = message.kind() != AppMessage::KIND_UNSPECIFIED &&
                         !AppMessage::Kind_IsValid(message.kind());
    return drop(unknown ? "unknown message kind" : "malformed message");
  }
  if (message.kind() == AppMessage::CASE_EVENT) {
    if (message.event().event_case() == CaseEvent::EVENT_NOT_SET) {
      // An event a newer client knows: acked, never shown.
      return drop("unknown case event");
    }
    if (!Validate(message.event()).ok()) return drop("malformed case event");
    if (!MaySend(PeerKind(own_kind_), message.event()).ok()) {
      return drop("case event from the wrong side");
    }
  }
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, message.case_id());
  if (!record.ok()) return record.status();
  if (record->has_value() && (*record)->peer_account_id() != sender) {
    return drop("message for another peer's case");
  }

  if (message.kind() == AppMessage::DELIVERY_RECEIPT) {
    if (!record->has_value()) return drop("receipt for an unknown case");
    ProfileStore::Batch batch;
    for (const std::string& id : message.receipt_for()) {
      absl::StatusOr<std::optional<MessageIndex>> index =
          LoadRecord<MessageIndex>(profile_, Namespace::kMessageIndex, id);
      if (!index.ok()) return index.status();
      if (!index->has_value() || (*index)->case_id() != message.case_id()) {
        continue;
      }
      const std::string key =
          SequenceKey((*index)->case_id(), (*index)->sequence());
      absl::StatusOr<std::optional<MessageRecord>> stored =
          LoadRecord<MessageRecord>(profile_, Namespace::kMessage, key);
      if (!stored.ok()) return stored.status();
      if (!stored->has_value() ||
          (*stored)->direction() != MessageRecord::OUTGOING ||
          (*stored)->delivery() == MessageRecord::DELIVERED) {
        continue;
      }
      (*stored)->set_delivery(MessageRecord::DELIVERED);
      batch.Put(Namespace::kMessage, key, (*stored)->SerializeAsString());
      out.delivered.push_back(id);
    }
    if (batch.size() > 0) {
      if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
    }
    out.kind = Received::Kind::kReceipt;
    out.case_id = message.case_id();
    ++report.receipts;
    return absl::OkStatus();
  }

  // TEXT or CASE_EVENT.
  absl::StatusOr<std::optional<MessageIndex>> seen = LoadRecord<MessageIndex>(
      profile_, Namespace::kMessageIndex, message.message_id());
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) {
    out.kind = Received::Kind::kDuplicate;
    ++report.duplicates;
    return absl::OkStatus();
  }
  const bool is_event = message.kind() == AppMessage::CASE_EVENT;
  CaseRecord updated;
  if (record->has_value()) {
    updated = **record;
  } else if (is_event && !MayOpenCase(message.event())) {
    return drop("case event for an unknown case");
  } else {
    out.new_case = true;
    updated = internal::NewCaseRecord(sender, now, /*opened_by_us=*/false);
    if (own_kind_ == AccountKind::kEmployee) {
      // Employees open their cases; a trust person writing first to an
      // employee who never wrote to them deserves a warning.
      absl::StatusOr<Entries> cases = profile_.Scan(Namespace::kCase);
      if (!cases.ok()) return cases.status();
      bool wrote_to_them = false;
      for (const auto& [id, raw] : *cases) {
        CaseRecord other;
        if (!other.ParseFromString(raw)) return Corrupt();
        if (other.peer_account_id() == sender && other.opened_by_us()) {
          wrote_to_them = true;
        }
      }
      if (!wrote_to_them) {
        updated.set_unsolicited(true);
        ++report.unsolicited;
      }
    }
  }
  const uint64_t sequence = updated.next_sequence();
  updated.set_next_sequence(sequence + 1);
  updated.set_last_activity_unix(absl::ToUnixSeconds(now));
  updated.set_unread_count(updated.unread_count() + 1);
  MessageRecord stored;
  stored.set_message_id(message.message_id());
  stored.set_direction(MessageRecord::INCOMING);
  if (is_event) {
    internal::ApplyEvent(message.event(), updated);
    *stored.mutable_event() = message.event();
    out.event = message.event().event_case();
    out.event_content = message.event();
  } else {
    stored.set_body(message.body());
  }
  stored.set_local_unix(absl::ToUnixSeconds(now));
  stored.set_client_hour(message.client_hour());
  stored.set_delivery(MessageRecord::RECEIVED);
  MessageIndex index;
  index.set_case_id(message.case_id());
  index.set_sequence(sequence);
  ProfileStore::Batch batch;
  batch.Put(Namespace::kMessage, SequenceKey(message.case_id(), sequence),
            stored.SerializeAsString());
  batch.Put(Namespace::kMessageIndex, message.message_id(),
            index.SerializeAsString());
  batch.Put(Namespace::kCase, message.case_id(), updated.SerializeAsString());
  // The receipt waits in the outbox for its random delay.
  absl::StatusOr<uint64_t> order = NextOrder(batch);
  if (!order.ok()) return order.status();
  // One delay per peer: a receipt queued while another to the same peer
  // waits leaves with it.
  absl::Time& due = receipt_due_[sender];
  if (due <= now) {
    base::Random& random =
        options_.random != nullptr ? *options_.random : base::SecureRandom();
    due = now + (options_.receipt_delay_max <= options_.receipt_delay_min
                     ? options_.receipt_delay_min
                     : random.UniformDuration(options_.receipt_delay_min,
                                              options_.receipt_delay_max));
  }
  OutboxEntry receipt;
  receipt.set_kind(OutboxEntry::RECEIPT);
  receipt.set_case_id(message.case_id());
  receipt.set_peer_account_id(sender);
  receipt.set_message_id(message.message_id());
  receipt.set_not_before_unix(absl::ToUnixSeconds(due));
  batch.Put(Namespace::kOutbox, internal::OrderKey(*order),
            receipt.SerializeAsString());
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  out.kind = Received::Kind::kMessage;
  out.case_id = message.case_id();
  out.message_id = message.message_id();
  ++report.received;
  return absl::OkStatus();
}

absl::Status Messenger::Hold(const Envelope& e, const std::string& peer,
                             const std::string& identity_key, absl::Time now,
                             SyncReport& report) {
  absl::StatusOr<std::optional<PendingIdentity>> pending = Pending(peer);
  if (!pending.ok()) return pending.status();
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();

  ProfileStore::Batch batch;
  PendingIdentity record;
  if (pending->has_value()) {
    record = **pending;
  } else {
    record.set_identity_key(identity_key);
    record.set_first_seen_unix(absl::ToUnixSeconds(now));
  }
  if (record.identity_key() != identity_key) {
    // The peer proved yet another key. Never silently: the newest proven key
    // is the one to compare, the user's earlier comparison (if any) no
    // longer matches, and what was held for the earlier key can never
    // decrypt once this one is trusted.
    record.set_identity_key(identity_key);
    record.set_replaced(record.replaced() + 1);
    report.warnings.push_back("the peer's safety number changed again");
  }
  size_t kept = 0;
  for (const auto& [key, raw] : *held) {
    if (key.compare(0, kIdSize, peer) != 0) continue;
    HeldEnvelope h;
    if (!h.ParseFromString(raw)) return Corrupt();
    if (h.identity_key() != identity_key) {
      batch.Delete(Namespace::kHeldEnvelope, key);
      ++report.held_dropped;
    } else {
      ++kept;
    }
  }
  batch.Put(Namespace::kPendingIdentity, peer, record.SerializeAsString());
  if (kept >= kMaxHeldPerPeer) {
    ++report.dropped;
    report.warnings.push_back("too many messages waiting for a safety check");
  } else {
    HeldEnvelope h;
    h.set_content(e.content);
    h.set_stored_hour(e.stored_hour);
    h.set_identity_key(identity_key);
    h.set_held_unix(absl::ToUnixSeconds(now));
    batch.Put(Namespace::kHeldEnvelope, SequenceKey(peer, e.seq),
              h.SerializeAsString());
    ++report.identity_changes;
  }
  return profile_.Write(batch);
}

absl::StatusOr<SyncReport> Messenger::ProcessHeld(
    absl::Time now, bool relay_keys_fresh, std::vector<Received>* events) {
  absl::MutexLock lock(&mu_);
  return ProcessHeldLocked(now, relay_keys_fresh, events);
}

absl::StatusOr<SyncReport> Messenger::ProcessHeldLocked(
    absl::Time now, bool relay_keys_fresh, std::vector<Received>* events) {
  SyncReport report;
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  if (held->empty()) return report;
  // Expired ones go first.
  ProfileStore::Batch expired;
  for (const auto& [key, raw] : *held) {
    HeldEnvelope h;
    if (!h.ParseFromString(raw)) return Corrupt();
    if (absl::FromUnixSeconds(h.held_unix()) + kHeldEnvelopeLifetime < now) {
      expired.Delete(Namespace::kHeldEnvelope, key);
      ++report.held_dropped;
    }
  }
  if (expired.size() > 0) {
    if (absl::Status s = profile_.Write(expired); !s.ok()) return s;
    held = profile_.Scan(Namespace::kHeldEnvelope);
    if (!held.ok()) return held.status();
  }
  // Sorted by key: per peer, in the relay's order.
  for (const auto& [key, raw] : *held) {
    if (key.size() != kIdSize + 8) return Corrupt();
    const std::string peer = key.substr(0, kIdSize);
    absl::StatusOr<std::optional<PendingIdentity>> pending = Pending(peer);
    if (!pending.ok()) return pending.status();
    if (pending->has_value()) continue;  // still waiting for the user
    HeldEnvelope h;
    if (!h.ParseFromString(raw)) return Corrupt();
    Envelope e;
    e.seq = base::GetBigEndian(std::string_view(key).substr(kIdSize), 8);
    e.content = h.content();
    e.stored_hour = h.stored_hour();
    absl::StatusOr<Received> received = ReceiveLocked(e, now, relay_keys_fresh);
    if (!received.ok()) return received.status();
    report.Add(received->report);
    if (received->kind == Received::Kind::kUnknownRelayKey ||
        received->kind == Received::Kind::kHeld) {
      // Kept until the relay's keys are learnt, or held again (a newer key).
      continue;
    }
    if (absl::Status s = profile_.Delete(Namespace::kHeldEnvelope, key);
        !s.ok()) {
      return s;
    }
    if (events != nullptr) events->push_back(*std::move(received));
  }
  return report;
}

absl::StatusOr<SyncReport> Messenger::VerifySafetyNumber(
    std::string_view case_id, std::string_view compared, absl::Time now,
    std::vector<Received>* events) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  const std::string peer = (*record)->peer_account_id();
  absl::StatusOr<PeerKey> key = CurrentPeerKey(peer);
  if (!key.ok()) return key.status();
  absl::StatusOr<crypto::SafetyNumber> number = SafetyWith(peer, key->key);
  if (!number.ok()) return number.status();
  if (Digits(compared) != number->digits) return NotCurrentError();

  SyncReport report;
  if (key->pending) {
    if (absl::Status s =
            sessions_.AcceptIdentity(crypto::PeerAddress(peer), key->key);
        !s.ok()) {
      return s;
    }
  }
  ProfileStore::Batch batch;
  batch.Delete(Namespace::kPendingIdentity, peer);
  batch.Put(Namespace::kMeta,
            absl::StrCat(internal::kVerifiedPrefix, internal::HexId(peer)),
            number->digits);
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  if (!key->pending) return report;

  return ProcessHeldLocked(now, /*relay_keys_fresh=*/false, events);
}

}  // namespace confidant::client
