#include "client/messenger.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/errors.h"
#include "crypto/sealed.h"

namespace confidant::client {
namespace {

using ::confidant::client::v1::AppMessage;
using ::confidant::client::v1::CaseRecord;
using ::confidant::client::v1::MessageIndex;
using ::confidant::client::v1::MessageRecord;

constexpr size_t kIdSize = 16;
constexpr size_t kMaxReceiptIds = 1000;
constexpr size_t kMaxAckBatch = 1000;

// 16 fresh random bytes; aborts if the system's generator fails.
std::string RandomId() {
  std::string id(kIdSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(id.data()),
                 static_cast<int>(id.size())) != 1) {
    std::abort();
  }
  return id;
}

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or values past
// U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string MessageKey(std::string_view case_id, uint64_t sequence) {
  std::string key(case_id);
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((sequence >> shift) & 0xFF));
  }
  return key;
}

uint32_t ClientHour(absl::Time now) {
  return static_cast<uint32_t>(
      std::max<int64_t>(0, absl::ToUnixSeconds(now) / 3600));
}

absl::Status Corrupt() {
  return absl::DataLossError("a stored case record does not parse");
}

// Loads and parses a record; nullopt if absent.
template <typename Record>
absl::StatusOr<std::optional<Record>> LoadRecord(ProfileStore& profile,
                                                 Namespace ns,
                                                 std::string_view key) {
  absl::StatusOr<std::optional<std::string>> raw = profile.Get(ns, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<Record>();
  Record record;
  if (!record.ParseFromString(**raw)) return Corrupt();
  return std::optional<Record>(std::move(record));
}

// A structurally valid AppMessage.
bool IsWellFormed(const AppMessage& m) {
  if (m.message_id().size() != kIdSize || m.case_id().size() != kIdSize) {
    return false;
  }
  switch (m.kind()) {
    case AppMessage::TEXT:
      return !m.body().empty() && m.body().size() <= kMaxTextBytes &&
             m.receipt_for().empty();
    case AppMessage::DELIVERY_RECEIPT:
      if (!m.body().empty() || m.receipt_for().empty() ||
          static_cast<size_t>(m.receipt_for().size()) > kMaxReceiptIds) {
        return false;
      }
      return std::all_of(
          m.receipt_for().begin(), m.receipt_for().end(),
          [](const std::string& id) { return id.size() == kIdSize; });
    default:
      return false;
  }
}

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
  s.identity_changed = r.identity_changed();
  s.pending_identity_key = r.pending_identity_key();
  return s;
}

}  // namespace

Messenger::Messenger(RelayTransport& transport, ProfileStore& profile,
                     crypto::SessionManager& sessions,
                     crypto::MessageCrypto& crypto, std::string own_account_id)
    : transport_(transport),
      profile_(profile),
      sessions_(sessions),
      crypto_(crypto),
      own_account_id_(std::move(own_account_id)) {}

absl::StatusOr<std::string> Messenger::OpenCase(
    std::string_view trust_person_account_id, std::string_view first_message,
    absl::Time now) {
  if (trust_person_account_id.size() != kIdSize) {
    return absl::InvalidArgumentError("an account id has 16 bytes");
  }
  absl::MutexLock lock(&mu_);
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
        return absl::FailedPreconditionError(
            std::string(crypto::kIdentityChangedMessage));
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
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError("a message must be UTF-8");
  }
  if (record.identity_changed()) {
    return absl::FailedPreconditionError(
        std::string(crypto::kIdentityChangedMessage));
  }
  AppMessage message;
  message.set_message_id(RandomId());
  message.set_case_id(std::string(case_id));
  message.set_kind(AppMessage::TEXT);
  message.set_body(std::string(text));
  message.set_client_hour(ClientHour(now));
  absl::StatusOr<std::string> envelope =
      crypto_.Encrypt(record.peer_account_id(), message.SerializeAsString());
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
  batch.Put(Namespace::kMessage, MessageKey(case_id, sequence),
            stored.SerializeAsString());
  batch.Put(kMessageIndexNamespace, message.message_id(),
            index.SerializeAsString());
  batch.Put(Namespace::kCase, case_id, record.SerializeAsString());
  return profile_.Write(batch);
}

absl::Status Messenger::SendReceipts(const std::string& case_id,
                                     const std::string& peer,
                                     const std::vector<std::string>& ids,
                                     absl::Time now) {
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
        crypto_.Encrypt(peer, receipt.SerializeAsString());
    if (!envelope.ok()) return envelope.status();
    absl::StatusOr<uint64_t> seq = transport_.Send(peer, *envelope);
    if (!seq.ok()) return seq.status();
  }
  return absl::OkStatus();
}

absl::Status Messenger::MarkIdentityChanged(std::string_view envelope) {
  const crypto::IdentityKeyPair& own = crypto_.own_identity();
  absl::StatusOr<std::unique_ptr<crypto::Unsealer>> unsealer =
      crypto::Unsealer::Create(own.private_key(), own.public_key(),
                               own_account_id_);
  if (!unsealer.ok()) return unsealer.status();
  absl::StatusOr<crypto::SealedContent> content = (*unsealer)->Unseal(envelope);
  if (!content.ok()) return content.status();
  std::string new_key;
  if (content->message_type == crypto::kPreKeyMessageType) {
    crypto::Ciphertext ciphertext;
    ciphertext.type = crypto::MessageType::kPreKey;
    ciphertext.bytes = content->message;
    absl::StatusOr<std::string> key =
        crypto::SessionManager::SenderIdentityKey(ciphertext);
    if (key.ok() && *key == content->sender_identity_key) new_key = *key;
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> cases =
      profile_.Scan(Namespace::kCase);
  if (!cases.ok()) return cases.status();
  ProfileStore::Batch batch;
  for (const auto& [case_id, raw] : *cases) {
    CaseRecord record;
    if (!record.ParseFromString(raw)) return Corrupt();
    if (record.peer_account_id() != content->sender_account_id) continue;
    record.set_identity_changed(true);
    if (!new_key.empty()) record.set_pending_identity_key(new_key);
    batch.Put(Namespace::kCase, case_id, record.SerializeAsString());
  }
  if (batch.size() == 0) return absl::OkStatus();
  return profile_.Write(batch);
}

absl::StatusOr<SyncReport> Messenger::Sync(absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<Envelope>> envelopes = DrainMailbox(transport_);
  if (!envelopes.ok()) return envelopes.status();

  SyncReport report;
  std::vector<uint64_t> acks;
  // case id -> (peer, received message ids), in order of first arrival.
  std::map<std::string, std::pair<std::string, std::vector<std::string>>>
      receipts;
  absl::Status error = absl::OkStatus();

  auto drop = [&](const Envelope& e, std::string reason) {
    ++report.dropped;
    report.warnings.push_back(std::move(reason));
    acks.push_back(e.seq);
  };

  for (const Envelope& e : *envelopes) {
    absl::StatusOr<crypto::OpenedMessage> opened = crypto_.Decrypt(e.content);
    if (!opened.ok()) {
      const crypto::CryptoError kind = crypto::GetCryptoError(opened.status());
      if (kind == crypto::CryptoError::kUntrustedIdentity) {
        // Held back, so it decrypts once the new identity is accepted.
        absl::Status marked = MarkIdentityChanged(e.content);
        if (!marked.ok()) {
          error = marked;
          break;
        }
        ++report.identity_changes;
        continue;
      }
      if (kind == crypto::CryptoError::kInternal ||
          kind == crypto::CryptoError::kNone) {
        error = opened.status();
        break;
      }
      drop(e, std::string(crypto::CryptoErrorName(kind)));
      continue;
    }
    AppMessage message;
    if (!message.ParseFromString(opened->plaintext) || !IsWellFormed(message)) {
      drop(e, "malformed message");
      continue;
    }
    const std::string& sender = opened->sender_account_id;
    absl::StatusOr<std::optional<CaseRecord>> record =
        LoadRecord<CaseRecord>(profile_, Namespace::kCase, message.case_id());
    if (!record.ok()) {
      error = record.status();
      break;
    }
    if (record->has_value() && (*record)->peer_account_id() != sender) {
      drop(e, "message for another peer's case");
      continue;
    }

    if (message.kind() == AppMessage::DELIVERY_RECEIPT) {
      if (!record->has_value()) {
        drop(e, "receipt for an unknown case");
        continue;
      }
      ProfileStore::Batch batch;
      for (const std::string& id : message.receipt_for()) {
        absl::StatusOr<std::optional<MessageIndex>> index =
            LoadRecord<MessageIndex>(profile_, kMessageIndexNamespace, id);
        if (!index.ok()) {
          error = index.status();
          break;
        }
        if (!index->has_value() || (*index)->case_id() != message.case_id()) {
          continue;
        }
        const std::string key =
            MessageKey((*index)->case_id(), (*index)->sequence());
        absl::StatusOr<std::optional<MessageRecord>> stored =
            LoadRecord<MessageRecord>(profile_, Namespace::kMessage, key);
        if (!stored.ok()) {
          error = stored.status();
          break;
        }
        if (!stored->has_value() ||
            (*stored)->direction() != MessageRecord::OUTGOING ||
            (*stored)->delivery() == MessageRecord::DELIVERED) {
          continue;
        }
        (*stored)->set_delivery(MessageRecord::DELIVERED);
        batch.Put(Namespace::kMessage, key, (*stored)->SerializeAsString());
      }
      if (!error.ok()) break;
      if (batch.size() > 0) {
        error = profile_.Write(batch);
        if (!error.ok()) break;
      }
      ++report.receipts;
      acks.push_back(e.seq);
      continue;
    }

    // TEXT.
    absl::StatusOr<std::optional<MessageIndex>> seen = LoadRecord<MessageIndex>(
        profile_, kMessageIndexNamespace, message.message_id());
    if (!seen.ok()) {
      error = seen.status();
      break;
    }
    if (seen->has_value()) {
      ++report.duplicates;
      acks.push_back(e.seq);
      continue;
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
    batch.Put(Namespace::kMessage, MessageKey(message.case_id(), sequence),
              stored.SerializeAsString());
    batch.Put(kMessageIndexNamespace, message.message_id(),
              index.SerializeAsString());
    batch.Put(Namespace::kCase, message.case_id(), updated.SerializeAsString());
    error = profile_.Write(batch);
    if (!error.ok()) break;
    ++report.received;
    acks.push_back(e.seq);
    auto& [peer, ids] = receipts[message.case_id()];
    peer = sender;
    ids.push_back(message.message_id());
  }

  // Only what is stored (or deliberately dropped) is acked.
  for (size_t start = 0; start < acks.size(); start += kMaxAckBatch) {
    const size_t n = std::min(kMaxAckBatch, acks.size() - start);
    absl::StatusOr<uint32_t> acked =
        transport_.Ack(absl::MakeConstSpan(acks).subspan(start, n));
    if (!acked.ok() && error.ok()) error = acked.status();
  }
  for (const auto& [case_id, peer_and_ids] : receipts) {
    absl::Status sent =
        SendReceipts(case_id, peer_and_ids.first, peer_and_ids.second, now);
    if (!sent.ok() && error.ok()) error = sent;
  }
  if (!error.ok()) return error;
  return report;
}

absl::StatusOr<std::vector<CaseSummary>> Messenger::ListCases() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> cases =
      profile_.Scan(Namespace::kCase);
  if (!cases.ok()) return cases.status();
  std::vector<CaseSummary> out;
  for (const auto& [case_id, raw] : *cases) {
    CaseRecord record;
    if (!record.ParseFromString(raw)) return Corrupt();
    out.push_back(ToSummary(case_id, record));
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

absl::Status Messenger::AcceptSafetyNumber(std::string_view case_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<CaseRecord>> record =
      LoadRecord<CaseRecord>(profile_, Namespace::kCase, case_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::NotFoundError("unknown case");
  if (!(*record)->identity_changed()) {
    return absl::FailedPreconditionError("the safety number did not change");
  }
  const std::string new_key = (*record)->pending_identity_key();
  if (new_key.empty()) {
    return absl::FailedPreconditionError(
        "the peer's new identity key is not known yet");
  }
  const std::string peer = (*record)->peer_account_id();
  absl::Status accepted =
      sessions_.AcceptIdentity(crypto::PeerAddress(peer), new_key);
  if (!accepted.ok()) return accepted;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> cases =
      profile_.Scan(Namespace::kCase);
  if (!cases.ok()) return cases.status();
  ProfileStore::Batch batch;
  for (const auto& [id, raw] : *cases) {
    CaseRecord r;
    if (!r.ParseFromString(raw)) return Corrupt();
    if (r.peer_account_id() != peer) continue;
    r.set_identity_changed(false);
    r.clear_pending_identity_key();
    batch.Put(Namespace::kCase, id, r.SerializeAsString());
  }
  return profile_.Write(batch);
}

}  // namespace confidant::client
