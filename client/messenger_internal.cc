#include "client/messenger_internal.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "base/bytes.h"
#include "base/random.h"
#include "base/utf8.h"
#include "client/messenger.h"

namespace confidant::client::internal {

using ::confidant::client::v1::AppMessage;

std::string RandomId() { return base::SecureRandom().Bytes(kIdSize); }

std::string OrderKey(uint64_t order) {
  std::string key;
  base::PutBigEndian(key, order, 8);
  return key;
}

absl::Duration RandomDelay(absl::Duration min, absl::Duration max) {
  if (max <= min) return min;
  return base::SecureRandom().UniformDuration(min, max);
}

bool IsValidUtf8(std::string_view s) { return base::IsValidUtf8(s); }

std::string SequenceKey(std::string_view prefix, uint64_t sequence) {
  std::string key(prefix);
  base::PutBigEndian(key, sequence, 8);
  return key;
}

uint32_t ClientHour(absl::Time now) {
  return static_cast<uint32_t>(
      std::max<int64_t>(0, absl::ToUnixSeconds(now) / 3600));
}

std::string HexId(std::string_view id) {
  return absl::BytesToHexString(absl::string_view(id.data(), id.size()));
}

absl::Status Corrupt() {
  return absl::DataLossError("a stored case record does not parse");
}

client::v1::CaseRecord NewCaseRecord(std::string_view peer, absl::Time now,
                                     bool opened_by_us) {
  client::v1::CaseRecord record;
  record.set_peer_account_id(std::string(peer));
  record.set_created_unix(absl::ToUnixSeconds(now));
  record.set_status(client::v1::CaseRecord::OPEN);
  record.set_next_sequence(1);
  record.set_opened_by_us(opened_by_us);
  return record;
}

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
    case AppMessage::CASE_EVENT:
      return m.body().empty() && m.receipt_for().empty();
    default:
      return false;
  }
}

void ApplyEvent(const client::v1::CaseEvent& event,
                client::v1::CaseRecord& record) {
  if (event.has_status_shared()) {
    record.set_shared_status(event.status_shared().status());
  } else if (event.has_handover_answer() && event.handover_answer().consent()) {
    record.set_status(client::v1::CaseRecord::CLOSED);
    record.set_handed_over(true);
  }
}

}  // namespace confidant::client::internal
