// Receiving: Sync(), the held envelopes of a peer whose identity changed, and
// the user's verification of a safety number.
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
#include "client/messenger.h"
#include "client/messenger_internal.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/errors.h"

namespace confidant::client {

using ::confidant::client::v1::AppMessage;
using ::confidant::client::v1::CaseRecord;
using ::confidant::client::v1::HeldEnvelope;
using ::confidant::client::v1::MessageIndex;
using ::confidant::client::v1::MessageRecord;
using ::confidant::client::v1::PendingIdentity;
using internal::Corrupt;
using internal::kIdSize;
using internal::kMaxAckBatch;
using internal::LoadRecord;
using internal::SequenceKey;

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

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

absl::StatusOr<SyncReport> Messenger::Sync(absl::Time now) {
  absl::MutexLock lock(&mu_);
  SyncReport report;
  Receipts receipts;
  if (absl::Status s = ExpireHeld(now, report); !s.ok()) return s;
  if (absl::Status s = ReplayHeld(now, report, receipts); !s.ok()) return s;
  absl::StatusOr<std::vector<Envelope>> envelopes = DrainMailbox(transport_);
  if (!envelopes.ok()) return envelopes.status();

  std::vector<uint64_t> acks;
  absl::Status error = absl::OkStatus();
  bool keys_refreshed = false;
  for (const Envelope& e : *envelopes) {
    absl::StatusOr<Outcome> outcome =
        Receive(e, now, keys_refreshed, report, receipts);
    if (!outcome.ok()) {
      error = outcome.status();
      break;
    }
    // Held envelopes live in the profile now: acked like every other.
    acks.push_back(e.seq);
  }

  // Only what is stored, held or deliberately dropped is acked.
  for (size_t start = 0; start < acks.size(); start += kMaxAckBatch) {
    const size_t n = std::min(kMaxAckBatch, acks.size() - start);
    absl::StatusOr<uint32_t> acked =
        transport_.Ack(absl::MakeConstSpan(acks).subspan(start, n));
    if (!acked.ok() && error.ok()) error = acked.status();
  }
  if (absl::Status sent = SendAllReceipts(receipts, now);
      !sent.ok() && error.ok()) {
    error = sent;
  }
  if (!error.ok()) return error;
  return report;
}

absl::StatusOr<Messenger::Outcome> Messenger::Receive(const Envelope& e,
                                                      absl::Time now,
                                                      bool& keys_refreshed,
                                                      SyncReport& report,
                                                      Receipts& receipts) {
  absl::StatusOr<crypto::OpenedMessage> opened =
      crypto_.Decrypt(e.content, e.stored_hour);
  if (!opened.ok() && !keys_refreshed &&
      crypto::GetCryptoError(opened.status()) ==
          crypto::CryptoError::kUnknownRelayKey) {
    // The relay may have rotated its key: learn the chain once per sync.
    keys_refreshed = true;
    absl::Status refreshed = certificates_.RefreshRelayKeys();
    if (!refreshed.ok() && !absl::IsPermissionDenied(refreshed)) {
      return refreshed;
    }
    if (refreshed.ok()) opened = crypto_.Decrypt(e.content, e.stored_hour);
  }
  if (!opened.ok()) {
    const crypto::CryptoError kind = crypto::GetCryptoError(opened.status());
    if (kind == crypto::CryptoError::kInternal ||
        kind == crypto::CryptoError::kNone) {
      return opened.status();
    }
    // Forged, tampered, replayed or otherwise unverifiable: dropped the same
    // way whoever it claims to be from.
    ++report.dropped;
    report.warnings.push_back(std::string(crypto::CryptoErrorName(kind)));
    return Outcome::kHandled;
  }
  if (opened->identity_changed) {
    if (absl::Status s = Hold(e, opened->sender_account_id,
                              opened->sender_identity_key, now, report);
        !s.ok()) {
      return s;
    }
    return Outcome::kHeld;
  }
  if (absl::Status s = Deliver(*opened, now, report, receipts); !s.ok()) {
    return s;
  }
  return Outcome::kHandled;
}

absl::Status Messenger::Deliver(const crypto::OpenedMessage& opened,
                                absl::Time now, SyncReport& report,
                                Receipts& receipts) {
  auto drop = [&](std::string reason) {
    ++report.dropped;
    report.warnings.push_back(std::move(reason));
    return absl::OkStatus();
  };
  AppMessage message;
  if (!message.ParseFromString(opened.plaintext) ||
      !internal::IsWellFormed(message)) {
    return drop("malformed message");
  }
  const std::string& sender = opened.sender_account_id;
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
    }
    if (batch.size() > 0) {
      if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
    }
    ++report.receipts;
    return absl::OkStatus();
  }

  // TEXT.
  absl::StatusOr<std::optional<MessageIndex>> seen = LoadRecord<MessageIndex>(
      profile_, Namespace::kMessageIndex, message.message_id());
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) {
    ++report.duplicates;
    return absl::OkStatus();
  }
  CaseRecord updated;
  if (record->has_value()) {
    updated = **record;
  } else {
    updated.set_peer_account_id(sender);
    updated.set_created_unix(absl::ToUnixSeconds(now));
    updated.set_status(CaseRecord::OPEN);
    updated.set_next_sequence(1);
    updated.set_opened_by_us(false);
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
  stored.set_body(message.body());
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
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  ++report.received;
  auto& [peer, ids] = receipts[message.case_id()];
  peer = sender;
  ids.push_back(message.message_id());
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

absl::Status Messenger::ExpireHeld(absl::Time now, SyncReport& report) {
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  ProfileStore::Batch batch;
  for (const auto& [key, raw] : *held) {
    HeldEnvelope h;
    if (!h.ParseFromString(raw)) return Corrupt();
    if (absl::FromUnixSeconds(h.held_unix()) + kHeldEnvelopeLifetime < now) {
      batch.Delete(Namespace::kHeldEnvelope, key);
      ++report.held_dropped;
    }
  }
  if (batch.size() == 0) return absl::OkStatus();
  return profile_.Write(batch);
}

absl::Status Messenger::ReplayHeld(absl::Time now, SyncReport& report,
                                   Receipts& receipts) {
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  bool keys_refreshed = false;
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
    absl::StatusOr<Outcome> outcome =
        Receive(e, now, keys_refreshed, report, receipts);
    if (!outcome.ok()) return outcome.status();
    if (*outcome == Outcome::kHandled) {
      if (absl::Status s = profile_.Delete(Namespace::kHeldEnvelope, key);
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Messenger::SendAllReceipts(const Receipts& receipts,
                                        absl::Time now) {
  absl::Status error;
  for (const auto& [case_id, peer_and_ids] : receipts) {
    absl::Status sent =
        SendReceipts(case_id, peer_and_ids.first, peer_and_ids.second, now);
    if (!sent.ok() && error.ok()) error = sent;
  }
  return error;
}

absl::StatusOr<SyncReport> Messenger::VerifySafetyNumber(
    std::string_view case_id, std::string_view compared, absl::Time now) {
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

  Receipts receipts;
  if (absl::Status s = ReplayHeld(now, report, receipts); !s.ok()) return s;
  if (absl::Status s = SendAllReceipts(receipts, now); !s.ok()) return s;
  return report;
}

}  // namespace confidant::client
