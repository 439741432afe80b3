// Helpers shared by messenger.cc (sending, reading) and messenger_receive.cc
// (receiving, held envelopes, identity changes). Not part of the API.
#ifndef CONFIDANT_CLIENT_MESSENGER_INTERNAL_H_
#define CONFIDANT_CLIENT_MESSENGER_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/profile_store.h"
#include "confidant/client/v1/message.pb.h"
#include "confidant/v1/wire.h"

namespace confidant::client::internal {

// Case, message and account ids all have this size (confidant/v1/wire.h).
inline constexpr size_t kIdSize = wire::kCaseIdSize;
static_assert(wire::kMessageIdSize == kIdSize &&
              wire::kAccountIdSize == kIdSize);
inline constexpr size_t kMaxReceiptIds = 1000;
// What ProfileStore::Scan returns: (key, value) pairs in key order.
using Entries = std::vector<std::pair<std::string, std::string>>;
// kMeta key prefix of the safety number the user verified with a peer.
inline constexpr char kVerifiedPrefix[] = "verified.";

// 16 fresh random bytes; aborts if the system's generator fails.
std::string RandomId();

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or values past
// U+10FFFF).
bool IsValidUtf8(std::string_view s);

// `prefix` | big-endian `sequence`: the keys of kMessage and kHeldEnvelope.
std::string SequenceKey(std::string_view prefix, uint64_t sequence);

// The outbox key of order number `order`: 8 bytes, big-endian.
std::string OrderKey(uint64_t order);

// The sender's coarse clock for AppMessage.client_hour.
uint32_t ClientHour(absl::Time now);

// 32 lowercase hex digits of an account id: how safety numbers name
// accounts.
std::string HexId(std::string_view id);

absl::Status Corrupt();

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

// A new, open case with `peer`, created at `now`, opened by us or by them.
client::v1::CaseRecord NewCaseRecord(std::string_view peer, absl::Time now,
                                     bool opened_by_us);

// A structurally valid AppMessage. A CASE_EVENT's event is checked apart
// (it may be one a newer client knows).
bool IsWellFormed(const client::v1::AppMessage& m);

// What `event` changes in its case's record, the same on both sides: a
// shared status is remembered, a consented hand-over closes the case.
void ApplyEvent(const client::v1::CaseEvent& event,
                client::v1::CaseRecord& record);

}  // namespace confidant::client::internal

#endif  // CONFIDANT_CLIENT_MESSENGER_INTERNAL_H_
