#include "client/messenger.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
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
#include "client/messenger_internal.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/errors.h"

namespace confidant::client {

using ::confidant::client::v1::AppMessage;
using ::confidant::client::v1::CaseRecord;
using ::confidant::client::v1::MessageIndex;
using ::confidant::client::v1::MessageRecord;
using ::confidant::client::v1::PendingIdentity;
using internal::ClientHour;
using internal::Corrupt;
using internal::kIdSize;
using internal::kMaxReceiptIds;
using internal::LoadRecord;
using internal::RandomId;
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
  return s;
}

absl::Status IdentityChangedError() {
  return absl::FailedPreconditionError(
      std::string(crypto::kIdentityChangedMessage));
}

}  // namespace

Messenger::Messenger(RelayTransport& transport, ProfileStore& profile,
                     crypto::SessionManager& sessions,
                     crypto::MessageCrypto& crypto,
                     CertificateManager& certificates,
                     std::string own_account_id, AccountKind own_kind)
    : transport_(transport),
      profile_(profile),
      sessions_(sessions),
      crypto_(crypto),
      certificates_(certificates),
      own_account_id_(std::move(own_account_id)),
      own_kind_(own_kind) {}

absl::StatusOr<std::optional<PendingIdentity>> Messenger::Pending(
    std::string_view peer) {
  return LoadRecord<PendingIdentity>(profile_, Namespace::kPendingIdentity,
                                     peer);
}

absl::StatusOr<std::string> Messenger::OpenCase(
    std::string_view trust_person_account_id, std::string_view first_message,
    absl::Time now) {
  if (trust_person_account_id.size() != kIdSize) {
    return absl::InvalidArgumentError("an account id has 16 bytes");
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<PendingIdentity>> pending =
      Pending(trust_person_account_id);
  if (!pending.ok()) return pending.status();
  if (pending->has_value()) return IdentityChangedError();
  const crypto::Address address = crypto::PeerAddress(trust_person_account_id);
  if (!sessions_.HasSession(address)) {
    absl::StatusOr<PeerBundle> bundle =
        transport_.GetPreKeyBundle(trust_person_account_id);
    if (!bundle.ok()) return bundle.status();
    if (bundle->account_id != trust_person_account_id) {
      return absl::InternalError("the relay returned another account's keys");
    }
    absl::Status started = sessions_.StartSession(address, bundle->bundle);
    if (!started.ok()) {
      if (crypto::GetCryptoError(started) ==
          crypto::CryptoError::kUntrustedIdentity) {
        return IdentityChangedError();
      }
      return started;
    }
  }
  const std::string case_id = RandomId();
  CaseRecord record;
  record.set_peer_account_id(std::string(trust_person_account_id));
  record.set_created_unix(absl::ToUnixSeconds(now));
  record.set_status(CaseRecord::OPEN);
  record.set_next_sequence(1);
  record.set_opened_by_us(true);
  absl::Status sent = SendTextLocked(case_id, record, first_message, now);
  if (!sent.ok()) return sent;
  return case_id;
}

absl::Status Messenger::SendText(std::string_view case_id,
                                 std::string_view text, absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  return SendTextLocked(case_id, **record, text, now);
}

absl::Status Messenger::SendTextLocked(std::string_view case_id,
                                       CaseRecord& record,
                                       std::string_view text, absl::Time now) {
  if (text.empty() || text.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError("a message has 1 to 65536 bytes");
  }
  if (!internal::IsValidUtf8(text)) {
    return absl::InvalidArgumentError("a message must be UTF-8");
  }
  absl::StatusOr<std::optional<PendingIdentity>> pending =
      Pending(record.peer_account_id());
  if (!pending.ok()) return pending.status();
  if (pending->has_value()) return IdentityChangedError();
  absl::StatusOr<std::string> certificate = certificates_.Current(now);
  if (!certificate.ok()) return certificate.status();
  AppMessage message;
  message.set_message_id(RandomId());
  message.set_case_id(std::string(case_id));
  message.set_kind(AppMessage::TEXT);
  message.set_body(std::string(text));
  message.set_client_hour(ClientHour(now));
  absl::StatusOr<std::string> envelope = crypto_.Encrypt(
      record.peer_account_id(), message.SerializeAsString(), *certificate);
  if (!envelope.ok()) return envelope.status();
  absl::StatusOr<uint64_t> seq =
      transport_.Send(record.peer_account_id(), *envelope);
  if (!seq.ok()) return seq.status();

  const uint64_t sequence = record.next_sequence();
  record.set_next_sequence(sequence + 1);
  record.set_last_activity_unix(absl::ToUnixSeconds(now));
  MessageRecord stored;
  stored.set_message_id(message.message_id());
  stored.set_direction(MessageRecord::OUTGOING);
  stored.set_body(message.body());
  stored.set_local_unix(absl::ToUnixSeconds(now));
  stored.set_client_hour(message.client_hour());
  stored.set_delivery(MessageRecord::SENT);
  MessageIndex index;
  index.set_case_id(std::string(case_id));
  index.set_sequence(sequence);
  ProfileStore::Batch batch;
  batch.Put(Namespace::kMessage, SequenceKey(case_id, sequence),
            stored.SerializeAsString());
  batch.Put(Namespace::kMessageIndex, message.message_id(),
            index.SerializeAsString());
  batch.Put(Namespace::kCase, case_id, record.SerializeAsString());
  return profile_.Write(batch);
}

absl::Status Messenger::SendReceipts(const std::string& case_id,
                                     const std::string& peer,
                                     const std::vector<std::string>& ids,
                                     absl::Time now) {
  absl::StatusOr<std::string> certificate = certificates_.Current(now);
  if (!certificate.ok()) return certificate.status();
  for (size_t start = 0; start < ids.size(); start += kMaxReceiptIds) {
    AppMessage receipt;
    receipt.set_message_id(RandomId());
    receipt.set_case_id(case_id);
    receipt.set_kind(AppMessage::DELIVERY_RECEIPT);
    receipt.set_client_hour(ClientHour(now));
    for (size_t i = start; i < ids.size() && i < start + kMaxReceiptIds; ++i) {
      receipt.add_receipt_for(ids[i]);
    }
    absl::StatusOr<std::string> envelope =
        crypto_.Encrypt(peer, receipt.SerializeAsString(), *certificate);
    if (!envelope.ok()) return envelope.status();
    absl::StatusOr<uint64_t> seq = transport_.Send(peer, *envelope);
    if (!seq.ok()) return seq.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<CaseSummary>> Messenger::ListCases() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> cases =
      profile_.Scan(Namespace::kCase);
  if (!cases.ok()) return cases.status();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> pending =
      profile_.Scan(Namespace::kPendingIdentity);
  if (!pending.ok()) return pending.status();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> held =
      profile_.Scan(Namespace::kHeldEnvelope);
  if (!held.ok()) return held.status();
  std::vector<CaseSummary> out;
  for (const auto& [case_id, raw] : *cases) {
    CaseRecord record;
    if (!record.ParseFromString(raw)) return Corrupt();
    CaseSummary summary = ToSummary(case_id, record);
    for (const auto& [peer, raw_pending] : *pending) {
      if (peer != summary.peer_account_id) continue;
      PendingIdentity p;
      if (!p.ParseFromString(raw_pending)) return Corrupt();
      summary.identity_changed = true;
      summary.pending_identity_key = p.identity_key();
    }
    for (const auto& [key, unused] : *held) {
      if (key.compare(0, kIdSize, summary.peer_account_id) == 0) {
        ++summary.held_messages;
      }
    }
    out.push_back(std::move(summary));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CaseSummary& a, const CaseSummary& b) {
                     return a.last_activity > b.last_activity;
                   });
  return out;
}

absl::StatusOr<std::vector<CaseMessage>> Messenger::ReadCase(
    std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<std::string>> exists =
      profile_.Get(Namespace::kCase, case_id);
  if (!exists.ok()) return exists.status();
  if (!exists->has_value()) return absl::NotFoundError("unknown case");
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> all =
      profile_.Scan(Namespace::kMessage);
  if (!all.ok()) return all.status();
  std::vector<CaseMessage> out;
  for (const auto& [key, raw] : *all) {
    if (key.size() != kIdSize + 8 || key.compare(0, kIdSize, case_id) != 0) {
      continue;
    }
    MessageRecord record;
    if (!record.ParseFromString(raw)) return Corrupt();
    CaseMessage m;
    m.message_id = record.message_id();
    m.direction = record.direction() == MessageRecord::INCOMING
                      ? Direction::kIncoming
                      : Direction::kOutgoing;
    m.body = record.body();
    m.time = absl::FromUnixSeconds(record.local_unix());
    switch (record.delivery()) {
      case MessageRecord::DELIVERED:
        m.delivery = DeliveryState::kDelivered;
        break;
      case MessageRecord::RECEIVED:
        m.delivery = DeliveryState::kReceived;
        break;
      default:
        m.delivery = DeliveryState::kSent;
        break;
    }
    out.push_back(std::move(m));
  }
  return out;
}

absl::Status Messenger::MarkRead(std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
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
