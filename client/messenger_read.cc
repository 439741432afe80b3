// Reading: the inbox, a case's messages, and safety numbers.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/messenger.h"
#include "client/messenger_internal.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

using ::confidant::client::v1::CaseRecord;
using ::confidant::client::v1::MessageIndex;
using ::confidant::client::v1::MessageRecord;
using ::confidant::client::v1::PendingIdentity;
using internal::Corrupt;
using internal::Entries;
using internal::kIdSize;
using internal::LoadRecord;
using internal::SequenceKey;

namespace {

CaseSummary ToSummary(std::string case_id, const CaseRecord& r) {
  CaseSummary s;
  s.case_id = std::move(case_id);
  s.peer_account_id = r.peer_account_id();
  s.created = absl::FromUnixSeconds(r.created_unix());
  s.status = r.status() == CaseRecord::CLOSED ? CaseStatus::kClosed
                                              : CaseStatus::kOpen;
  s.last_activity = absl::FromUnixSeconds(r.last_activity_unix());
  s.unread_count = r.unread_count();
  s.opened_by_us = r.opened_by_us();
  s.unsolicited = r.unsolicited();
  s.shared_status = r.shared_status();
  s.handed_over = r.handed_over();
  if (r.first_outgoing_unix() != 0) {
    s.first_outgoing = absl::FromUnixSeconds(r.first_outgoing_unix());
  }
  return s;
}

DeliveryState ToDelivery(MessageRecord::Delivery d) {
  switch (d) {
    case MessageRecord::QUEUED:
      return DeliveryState::kQueued;
    case MessageRecord::DELIVERED:
      return DeliveryState::kDelivered;
    case MessageRecord::RECEIVED:
      return DeliveryState::kReceived;
    case MessageRecord::FAILED:
      return DeliveryState::kFailed;
    default:
      return DeliveryState::kSent;
  }
}

CaseMessage ToMessage(const MessageRecord& record) {
  CaseMessage m;
  m.message_id = record.message_id();
  m.direction = record.direction() == MessageRecord::INCOMING
                    ? Direction::kIncoming
                    : Direction::kOutgoing;
  m.body = record.body();
  m.time = absl::FromUnixSeconds(record.local_unix());
  m.delivery = ToDelivery(record.delivery());
  m.client_hour = record.client_hour();
  if (record.has_event()) m.event = record.event();
  return m;
}

// Adds the pending identity and held count of `summary`'s peer.
absl::Status AddIdentityState(const Entries& pending, const Entries& held,
                              CaseSummary& summary) {
  for (const auto& [peer, raw] : pending) {
    if (peer != summary.peer_account_id) continue;
    PendingIdentity p;
    if (!p.ParseFromString(raw)) return Corrupt();
    summary.identity_changed = true;
    summary.pending_identity_key = p.identity_key();
  }
  for (const auto& [key, unused] : held) {
    if (key.compare(0, kIdSize, summary.peer_account_id) == 0) {
      ++summary.held_messages;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CaseSummary>> Messenger::ListCases() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Entries> cases = profile_.Scan(Namespace::kCase);
  if (!cases.ok()) return cases.status();
  absl::StatusOr<Entries> pending = profile_.Scan(Namespace::kPendingIdentity);
  if (!pending.ok()) return pending.status();
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  std::vector<CaseSummary> out;
  out.reserve(cases->size());
  for (const auto& [case_id, raw] : *cases) {
    CaseRecord record;
    if (!record.ParseFromString(raw)) return Corrupt();
    CaseSummary summary = ToSummary(case_id, record);
    if (absl::Status s = AddIdentityState(*pending, *held, summary); !s.ok()) {
      return s;
    }
    out.push_back(std::move(summary));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CaseSummary& a, const CaseSummary& b) {
                     return a.last_activity > b.last_activity;
                   });
  return out;
}

absl::StatusOr<CaseSummary> Messenger::GetCase(std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  return SummaryLocked(std::string(case_id), **record);
}

absl::StatusOr<CaseSummary> Messenger::SummaryLocked(std::string case_id,
                                                     const CaseRecord& r) {
  CaseSummary summary = ToSummary(std::move(case_id), r);
  absl::StatusOr<std::optional<PendingIdentity>> pending =
      Pending(summary.peer_account_id);
  if (!pending.ok()) return pending.status();
  if (!pending->has_value()) return summary;
  summary.identity_changed = true;
  summary.pending_identity_key = (*pending)->identity_key();
  absl::StatusOr<Entries> held = profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  if (absl::Status s = AddIdentityState({}, *held, summary); !s.ok()) return s;
  return summary;
}

absl::StatusOr<std::vector<CaseMessage>> Messenger::ReadCase(
    std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  // Sequences are dense: one lookup per message of this case, whatever the
  // profile holds besides.
  std::vector<CaseMessage> out;
  for (uint64_t seq = 1; seq < (*record)->next_sequence(); ++seq) {
    absl::StatusOr<std::optional<MessageRecord>> stored =
        LoadRecord<MessageRecord>(profile_, Namespace::kMessage,
                                  SequenceKey(case_id, seq));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) continue;
    out.push_back(ToMessage(**stored));
  }
  return out;
}

absl::StatusOr<CaseMessage> Messenger::ReadMessage(
    std::string_view case_id, std::string_view message_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<MessageIndex>> index =
      LoadRecord<MessageIndex>(profile_, Namespace::kMessageIndex, message_id);
  if (!index.ok()) return index.status();
  if (!index->has_value() || (*index)->case_id() != case_id) {
    return absl::NotFoundError("unknown message");
  }
  absl::StatusOr<std::optional<MessageRecord>> stored =
      LoadRecord<MessageRecord>(profile_, Namespace::kMessage,
                                SequenceKey(case_id, (*index)->sequence()));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return absl::NotFoundError("unknown message");
  return ToMessage(**stored);
}

absl::Status Messenger::MarkRead(std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  if ((*record)->unread_count() == 0) return absl::OkStatus();
  (*record)->set_unread_count(0);
  return profile_.Put(Namespace::kCase, case_id,
                      (*record)->SerializeAsString());
}

absl::StatusOr<Messenger::PeerKey> Messenger::CurrentPeerKey(
    std::string_view peer) {
  absl::StatusOr<std::optional<PendingIdentity>> pending = Pending(peer);
  if (!pending.ok()) return pending.status();
  if (pending->has_value()) return PeerKey{(*pending)->identity_key(), true};
  absl::StatusOr<std::string> trusted =
      sessions_.PeerIdentityKey(crypto::PeerAddress(peer));
  if (!trusted.ok()) return trusted.status();
  return PeerKey{*std::move(trusted), false};
}

absl::StatusOr<crypto::SafetyNumber> Messenger::SafetyWith(
    std::string_view peer, std::string_view peer_key) {
  return crypto::ComputeSafetyNumber(internal::HexId(own_account_id_),
                                     crypto_.own_identity().public_key(),
                                     internal::HexId(peer), peer_key);
}

absl::StatusOr<SafetyNumberState> Messenger::SafetyNumber(
    std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  const std::string& peer = (*record)->peer_account_id();
  absl::StatusOr<PeerKey> key = CurrentPeerKey(peer);
  if (!key.ok()) return key.status();
  SafetyNumberState out;
  out.changed = key->pending;
  absl::StatusOr<crypto::SafetyNumber> number = SafetyWith(peer, key->key);
  if (!number.ok()) return number.status();
  out.number = *std::move(number);
  absl::StatusOr<std::optional<std::string>> verified = profile_.Get(
      Namespace::kMeta,
      absl::StrCat(internal::kVerifiedPrefix, internal::HexId(peer)));
  if (!verified.ok()) return verified.status();
  out.verified =
      !out.changed && verified->has_value() && **verified == out.number.digits;
  return out;
}

}  // namespace confidant::client
