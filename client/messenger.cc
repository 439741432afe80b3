// Sending: cases opened and messages queued, and the outbox that the app
// layer empties towards the relay.
#include "client/messenger.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/bytes.h"
#include "client/case_policy.h"
#include "client/messenger_internal.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/errors.h"

namespace confidant::client {

using ::confidant::client::v1::AppMessage;
using ::confidant::client::v1::BlockedSender;
using ::confidant::client::v1::CaseEvent;
using ::confidant::client::v1::CaseRecord;
using ::confidant::client::v1::MessageIndex;
using ::confidant::client::v1::MessageRecord;
using ::confidant::client::v1::OutboxEntry;
using ::confidant::client::v1::PendingIdentity;
using internal::ClientHour;
using internal::Corrupt;
using internal::Entries;
using internal::kIdSize;
using internal::kMaxReceiptIds;
using internal::LoadRecord;
using internal::OrderKey;
using internal::RandomId;
using internal::SequenceKey;

namespace {

// kMeta key of the next outbox order number (8 bytes, big-endian).
constexpr char kOutboxNextKey[] = "outbox.next";

absl::Status IdentityChangedError() {
  return absl::FailedPreconditionError(
      std::string(crypto::kIdentityChangedMessage));
}

}  // namespace

void SyncReport::Add(const SyncReport& other) {
  received += other.received;
  duplicates += other.duplicates;
  dropped += other.dropped;
  receipts += other.receipts;
  identity_changes += other.identity_changes;
  held_dropped += other.held_dropped;
  unsolicited += other.unsolicited;
  blocked += other.blocked;
  sent += other.sent;
  warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
}

Messenger::Messenger(ProfileStore& profile, crypto::SessionManager& sessions,
                     crypto::MessageCrypto& crypto, std::string own_account_id,
                     AccountKind own_kind, MessengerOptions options)
    : profile_(profile),
      sessions_(sessions),
      crypto_(crypto),
      own_account_id_(std::move(own_account_id)),
      own_kind_(own_kind),
      options_(std::move(options)) {}

absl::StatusOr<std::optional<PendingIdentity>> Messenger::Pending(
    std::string_view peer) {
  return LoadRecord<PendingIdentity>(profile_, Namespace::kPendingIdentity,
                                     peer);
}

absl::Status Messenger::CheckPeer(std::string_view peer) const {
  if (peer.size() != kIdSize) {
    return absl::InvalidArgumentError("an account id has 16 bytes");
  }
  if (peer == own_account_id_) {
    return absl::InvalidArgumentError("a case needs another account");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Messenger::OpenCase(
    std::string_view trust_person_account_id, std::string_view first_message,
    absl::Time now) {
  if (absl::Status s = CheckPeer(trust_person_account_id); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  const std::string case_id = RandomId();
  CaseRecord record = internal::NewCaseRecord(trust_person_account_id, now,
                                              /*opened_by_us=*/true);
  ProfileStore::Batch batch;
  absl::StatusOr<std::string> queued =
      QueueTextLocked(case_id, record, first_message, now, batch);
  if (!queued.ok()) return queued.status();
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  return case_id;
}

absl::StatusOr<std::string> Messenger::SendText(std::string_view case_id,
                                                std::string_view text,
                                                absl::Time now) {
  absl::MutexLock lock(&mu_);
  return QueueInOpenCaseLocked(
      case_id, [&](CaseRecord& record, ProfileStore::Batch& batch)
                   ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                     return QueueTextLocked(case_id, record, text, now, batch);
                   });
}

absl::StatusOr<std::string> Messenger::SendEvent(std::string_view case_id,
                                                 const CaseEvent& event,
                                                 absl::Time now) {
  absl::MutexLock lock(&mu_);
  return QueueInOpenCaseLocked(
      case_id,
      [&](CaseRecord& record, ProfileStore::Batch& batch)
          ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
            return QueueEventLocked(case_id, record, event, now, batch);
          });
}

absl::StatusOr<std::string> Messenger::QueueInOpenCaseLocked(
    std::string_view case_id, const std::function<absl::StatusOr<std::string>(
                                  CaseRecord&, ProfileStore::Batch&)>& queue) {
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  if ((*record)->status() == CaseRecord::CLOSED) {
    return absl::FailedPreconditionError(
        (*record)->handed_over()
            ? "the case was handed over; write in the new case"
            : "the case is closed");
  }
  ProfileStore::Batch batch;
  absl::StatusOr<std::string> queued = queue(**record, batch);
  if (!queued.ok()) return queued.status();
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  return queued;
}

absl::StatusOr<std::string> Messenger::OpenCaseWithEvents(
    std::string_view trust_person_account_id,
    const std::vector<CaseEvent>& events, absl::Time now) {
  if (absl::Status s = CheckPeer(trust_person_account_id); !s.ok()) return s;
  if (events.empty() || !MayOpenCase(events.front())) {
    return absl::InvalidArgumentError(
        "a case is opened by text or a hand-over's introduction");
  }
  absl::MutexLock lock(&mu_);
  const std::string case_id = RandomId();
  CaseRecord record = internal::NewCaseRecord(trust_person_account_id, now,
                                              /*opened_by_us=*/true);
  ProfileStore::Batch batch;
  std::optional<uint64_t> next_order;
  for (const CaseEvent& event : events) {
    absl::StatusOr<std::string> queued =
        QueueEventLocked(case_id, record, event, now, batch, &next_order);
    if (!queued.ok()) return queued.status();
  }
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  return case_id;
}

absl::Status Messenger::Block(std::string_view peer, absl::Time now) {
  if (absl::Status s = MayKeepCaseFiles(own_kind_); !s.ok()) {
    return absl::PermissionDeniedError("only a trust person blocks senders");
  }
  if (peer.size() != kIdSize) {
    return absl::InvalidArgumentError("an account id has 16 bytes");
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<BlockedSender>> blocked =
      LoadRecord<BlockedSender>(profile_, Namespace::kBlockedSender, peer);
  if (!blocked.ok()) return blocked.status();
  if (blocked->has_value()) return absl::OkStatus();
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  ProfileStore::Batch batch;
  BlockedSender record;
  record.set_blocked_unix(absl::ToUnixSeconds(now));
  for (const auto& [key, raw] : *held) {
    if (key.compare(0, kIdSize, peer) != 0) continue;
    batch.Delete(Namespace::kHeldEnvelope, key);
    record.set_dropped(record.dropped() + 1);
  }
  batch.Put(Namespace::kBlockedSender, peer, record.SerializeAsString());
  return profile_.Write(batch);
}

absl::Status Messenger::Unblock(std::string_view peer) {
  absl::MutexLock lock(&mu_);
  return profile_.Delete(Namespace::kBlockedSender, peer);
}

absl::StatusOr<std::optional<BlockedSender>> Messenger::Blocked(
    std::string_view peer) {
  absl::MutexLock lock(&mu_);
  return LoadRecord<BlockedSender>(profile_, Namespace::kBlockedSender, peer);
}

absl::Status Messenger::Purge(std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  ProfileStore::Batch batch;
  for (uint64_t seq = 1; seq < (*record)->next_sequence(); ++seq) {
    const std::string key = SequenceKey(case_id, seq);
    absl::StatusOr<std::optional<MessageRecord>> stored =
        LoadRecord<MessageRecord>(profile_, Namespace::kMessage, key);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) continue;
    batch.Delete(Namespace::kMessageIndex, (*stored)->message_id());
    batch.Delete(Namespace::kMessage, key);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> outbox =
      profile_.Scan(Namespace::kOutbox);
  if (!outbox.ok()) return outbox.status();
  for (const auto& [key, raw] : *outbox) {
    OutboxEntry entry;
    if (!entry.ParseFromString(raw)) return Corrupt();
    if (entry.case_id() == case_id) batch.Delete(Namespace::kOutbox, key);
  }
  batch.Delete(Namespace::kCase, case_id);
  return profile_.Write(batch);
}

absl::StatusOr<uint64_t> Messenger::NextOrder(ProfileStore::Batch& batch,
                                              std::optional<uint64_t>* cache) {
  uint64_t order = 1;
  if (cache != nullptr && cache->has_value()) {
    order = **cache;
  } else {
    absl::StatusOr<std::optional<std::string>> raw =
        profile_.Get(Namespace::kMeta, kOutboxNextKey);
    if (!raw.ok()) return raw.status();
    if (raw->has_value()) {
      if ((*raw)->size() != 8) return Corrupt();
      order = base::GetBigEndian(**raw, 8);
    }
  }
  // The last put of a batch wins.
  batch.Put(Namespace::kMeta, kOutboxNextKey, OrderKey(order + 1));
  if (cache != nullptr) *cache = order + 1;
  return order;
}

absl::StatusOr<std::string> Messenger::QueueTextLocked(
    std::string_view case_id, CaseRecord& record, std::string_view text,
    absl::Time now, ProfileStore::Batch& batch) {
  if (text.empty() || text.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError("a message has 1 to 65536 bytes");
  }
  if (!internal::IsValidUtf8(text)) {
    return absl::InvalidArgumentError("a message must be UTF-8");
  }
  MessageRecord stored;
  stored.set_body(std::string(text));
  return QueueLocked(case_id, record, std::move(stored), now, batch);
}

absl::StatusOr<std::string> Messenger::QueueEventLocked(
    std::string_view case_id, CaseRecord& record, const CaseEvent& event,
    absl::Time now, ProfileStore::Batch& batch,
    std::optional<uint64_t>* next_order) {
  if (absl::Status s = Validate(event); !s.ok()) return s;
  if (absl::Status s = MaySend(own_kind_, event); !s.ok()) return s;
  internal::ApplyEvent(event, record);
  MessageRecord stored;
  *stored.mutable_event() = event;
  return QueueLocked(case_id, record, std::move(stored), now, batch,
                     next_order);
}

absl::StatusOr<std::string> Messenger::QueueLocked(
    std::string_view case_id, CaseRecord& record, MessageRecord stored,
    absl::Time now, ProfileStore::Batch& batch,
    std::optional<uint64_t>* next_order) {
  absl::StatusOr<std::optional<PendingIdentity>> pending =
      Pending(record.peer_account_id());
  if (!pending.ok()) return pending.status();
  if (pending->has_value()) return IdentityChangedError();
  absl::StatusOr<uint64_t> order = NextOrder(batch, next_order);
  if (!order.ok()) return order.status();

  const std::string message_id = RandomId();
  const uint64_t sequence = record.next_sequence();
  record.set_next_sequence(sequence + 1);
  record.set_last_activity_unix(absl::ToUnixSeconds(now));
  if (record.first_outgoing_unix() == 0) {
    record.set_first_outgoing_unix(absl::ToUnixSeconds(now));
  }
  stored.set_message_id(message_id);
  stored.set_direction(MessageRecord::OUTGOING);
  stored.set_local_unix(absl::ToUnixSeconds(now));
  stored.set_client_hour(ClientHour(now));
  stored.set_delivery(MessageRecord::QUEUED);
  MessageIndex index;
  index.set_case_id(std::string(case_id));
  index.set_sequence(sequence);
  OutboxEntry entry;
  entry.set_kind(OutboxEntry::TEXT);
  entry.set_case_id(std::string(case_id));
  entry.set_peer_account_id(record.peer_account_id());
  entry.set_message_id(message_id);
  entry.set_sequence(sequence);
  batch.Put(Namespace::kMessage, SequenceKey(case_id, sequence),
            stored.SerializeAsString());
  batch.Put(Namespace::kMessageIndex, message_id, index.SerializeAsString());
  batch.Put(Namespace::kCase, case_id, record.SerializeAsString());
  batch.Put(Namespace::kOutbox, OrderKey(*order), entry.SerializeAsString());
  return message_id;
}

absl::StatusOr<std::vector<Outgoing>> Messenger::ReadyToSend(absl::Time now,
                                                             size_t limit) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> entries =
      profile_.Scan(Namespace::kOutbox);
  if (!entries.ok()) return entries.status();
  std::map<std::string, bool> blocked;  // peer -> identity changed
  auto is_blocked = [&](const std::string& peer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                        mu_) -> absl::StatusOr<bool> {
    auto it = blocked.find(peer);
    if (it != blocked.end()) return it->second;
    absl::StatusOr<std::optional<PendingIdentity>> pending = Pending(peer);
    if (!pending.ok()) return pending.status();
    return blocked[peer] = pending->has_value();
  };
  // Receipts per case: the first one's key and every key, and whether one
  // is due.
  struct Receipts {
    Outgoing item;
    AppMessage message;
    bool due = false;
  };
  std::map<std::string, Receipts> receipts;
  std::vector<Outgoing> out;
  for (const auto& [key, raw] : *entries) {
    if (key.size() != 8) return Corrupt();
    OutboxEntry entry;
    if (!entry.ParseFromString(raw)) return Corrupt();
    const uint64_t order = base::GetBigEndian(key, 8);
    absl::StatusOr<bool> peer_blocked = is_blocked(entry.peer_account_id());
    if (!peer_blocked.ok()) return peer_blocked.status();
    if (*peer_blocked) continue;
    if (entry.kind() == OutboxEntry::RECEIPT) {
      auto [it, inserted] = receipts.try_emplace(entry.case_id());
      Receipts& r = it->second;
      if (inserted) {
        r.item.order = order;
        r.item.receipt = true;
        r.item.case_id = entry.case_id();
        r.item.peer_account_id = entry.peer_account_id();
        r.message.set_kind(AppMessage::DELIVERY_RECEIPT);
        r.message.set_case_id(entry.case_id());
      } else if (static_cast<size_t>(r.message.receipt_for_size()) >=
                 kMaxReceiptIds) {
        continue;  // the next batch takes it
      } else {
        r.item.also.push_back(order);
      }
      r.message.add_receipt_for(entry.message_id());
      if (absl::FromUnixSeconds(entry.not_before_unix()) <= now) r.due = true;
      continue;
    }
    if (entry.kind() != OutboxEntry::TEXT) return Corrupt();
    if (out.size() >= limit) continue;
    absl::StatusOr<std::optional<MessageRecord>> stored =
        LoadRecord<MessageRecord>(
            profile_, Namespace::kMessage,
            SequenceKey(entry.case_id(), entry.sequence()));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return Corrupt();
    AppMessage message;
    message.set_message_id(entry.message_id());
    message.set_case_id(entry.case_id());
    if ((*stored)->has_event()) {
      message.set_kind(AppMessage::CASE_EVENT);
      *message.mutable_event() = (*stored)->event();
    } else {
      message.set_kind(AppMessage::TEXT);
      message.set_body((*stored)->body());
    }
    message.set_client_hour((*stored)->client_hour());
    Outgoing item;
    item.order = order;
    item.case_id = entry.case_id();
    item.peer_account_id = entry.peer_account_id();
    item.message_id = entry.message_id();
    item.plaintext = message.SerializeAsString();
    out.push_back(std::move(item));
  }
  // A peer's receipts leave together once one of them is due, one receipt
  // message per case (a receipt names one case), next to each other.
  std::set<std::string> due_peers;
  std::multimap<std::string, Receipts*> by_peer;
  for (auto& [case_id, r] : receipts) {
    if (r.due) due_peers.insert(r.item.peer_account_id);
    by_peer.emplace(r.item.peer_account_id, &r);
  }
  for (auto& [peer, r] : by_peer) {
    if (due_peers.count(peer) == 0 || out.size() >= limit) continue;
    r->message.set_message_id(RandomId());
    r->message.set_client_hour(ClientHour(now));
    r->item.plaintext = r->message.SerializeAsString();
    out.push_back(std::move(r->item));
  }
  return out;
}

absl::StatusOr<uint32_t> Messenger::QueuedCount() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> entries =
      profile_.Scan(Namespace::kOutbox);
  if (!entries.ok()) return entries.status();
  uint32_t n = 0;
  for (const auto& [key, raw] : *entries) {
    OutboxEntry entry;
    if (!entry.ParseFromString(raw)) return Corrupt();
    if (entry.kind() == OutboxEntry::TEXT) ++n;
  }
  return n;
}

absl::Status Messenger::PrepareForSending() {
  absl::MutexLock lock(&mu_);
  return crypto_.PrepareForSending();
}

bool Messenger::HasSession(std::string_view peer) {
  absl::MutexLock lock(&mu_);
  return sessions_.HasSession(crypto::PeerAddress(peer));
}

absl::Status Messenger::StartSession(std::string_view peer,
                                     const crypto::PreKeyBundle& bundle) {
  absl::MutexLock lock(&mu_);
  absl::Status started =
      sessions_.StartSession(crypto::PeerAddress(peer), bundle);
  if (crypto::GetCryptoError(started) ==
      crypto::CryptoError::kUntrustedIdentity) {
    return IdentityChangedError();
  }
  return started;
}

absl::StatusOr<std::string> Messenger::Seal(const Outgoing& item,
                                            std::string_view certificate) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<PendingIdentity>> pending =
      Pending(item.peer_account_id);
  if (!pending.ok()) return pending.status();
  if (pending->has_value()) return IdentityChangedError();
  return crypto_.Encrypt(item.peer_account_id, item.plaintext, certificate);
}

absl::Status Messenger::MarkSent(const Outgoing& item) {
  absl::MutexLock lock(&mu_);
  return Finish(item, MessageRecord::SENT);
}

absl::Status Messenger::MarkFailed(const Outgoing& item) {
  absl::MutexLock lock(&mu_);
  return Finish(item, MessageRecord::FAILED);
}

absl::Status Messenger::Finish(const Outgoing& item,
                               MessageRecord::Delivery delivery) {
  ProfileStore::Batch batch;
  batch.Delete(Namespace::kOutbox, OrderKey(item.order));
  for (uint64_t order : item.also) {
    batch.Delete(Namespace::kOutbox, OrderKey(order));
  }
  if (!item.receipt) {
    absl::StatusOr<std::optional<MessageIndex>> index =
        LoadRecord<MessageIndex>(profile_, Namespace::kMessageIndex,
                                 item.message_id);
    if (!index.ok()) return index.status();
    if (index->has_value()) {
      const std::string key =
          SequenceKey((*index)->case_id(), (*index)->sequence());
      absl::StatusOr<std::optional<MessageRecord>> stored =
          LoadRecord<MessageRecord>(profile_, Namespace::kMessage, key);
      if (!stored.ok()) return stored.status();
      // A receipt may have come first: DELIVERED stays.
      if (stored->has_value() &&
          (*stored)->delivery() == MessageRecord::QUEUED) {
        (*stored)->set_delivery(delivery);
        batch.Put(Namespace::kMessage, key, (*stored)->SerializeAsString());
      }
    }
  }
  return profile_.Write(batch);
}

}  // namespace confidant::client
