#include "client/messenger_internal.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/synchronization/mutex.h"
#include "base/bytes.h"
#include "client/messenger.h"

namespace confidant::client::internal {

using ::confidant::client::v1::AppMessage;

std::string RandomId() {
  std::string id(kIdSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(id.data()),
                 static_cast<int>(id.size())) != 1) {
    std::abort();
  }
  return id;
}

std::string OrderKey(uint64_t order) {
  std::string key;
  base::PutBigEndian(key, order, 8);
  return key;
}

absl::Duration RandomDelay(absl::Duration min, absl::Duration max) {
  if (max <= min) return min;
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen ABSL_GUARDED_BY(mu) = new absl::BitGen();
  absl::MutexLock lock(&mu);
  const int64_t span = absl::ToInt64Milliseconds(max - min);
  return min + absl::Milliseconds(
                   absl::Uniform<int64_t>(absl::IntervalClosed, *gen, 0, span));
}

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

}  // namespace confidant::client::internal
