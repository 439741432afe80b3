// Printing: hex, JSON and the words the CLI shows.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "base/hex.h"
#include "client/cli/cli.h"

namespace confidant::cli {

void PrintError(const std::string& message) {
  std::string line = absl::StrReplaceAll(message, {{"\r", " "}, {"\n", " "}});
  std::fprintf(stderr, "confidant: %s\n", line.c_str());
}

std::string Hex(std::string_view bytes) { return base::HexEncode(bytes); }

std::optional<std::string> Unhex(std::string_view hex) {
  return base::HexDecode(hex);
}

// A JSON string literal for `s` (UTF-8 passed through, controls escaped).
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static constexpr char kDigits[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kDigits[c >> 4]);
          out.push_back(kDigits[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

JsonObject& JsonObject::Str(std::string_view key, std::string_view value) {
  return Raw(key, JsonString(value));
}
JsonObject& JsonObject::Int(std::string_view key, int64_t value) {
  return Raw(key, absl::StrCat(value));
}
JsonObject& JsonObject::Bool(std::string_view key, bool value) {
  return Raw(key, value ? "true" : "false");
}
JsonObject& JsonObject::Raw(std::string_view key, std::string_view json) {
  if (!body_.empty()) body_ += ",";
  absl::StrAppend(&body_, JsonString(key), ":", std::string(json));
  return *this;
}
std::string JsonObject::Build() const { return absl::StrCat("{", body_, "}"); }

std::string JsonArray(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

std::string JsonStrings(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(JsonString(s));
  return JsonArray(quoted);
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string KindName(client::AccountKind kind) {
  switch (kind) {
    case client::AccountKind::kEmployee:
      return "employee";
    case client::AccountKind::kTrustPerson:
      return "trust-person";
    default:
      return "unknown";
  }
}

std::string AffiliationName(client::Affiliation a) {
  switch (a) {
    case client::Affiliation::kInternal:
      return "internal";
    case client::Affiliation::kExternal:
      return "external";
    default:
      return "unspecified";
  }
}

std::string DirectionName(client::Direction d) {
  return d == client::Direction::kIncoming ? "incoming" : "outgoing";
}

std::string DeliveryName(client::DeliveryState d) {
  switch (d) {
    case client::DeliveryState::kSent:
      return "sent";
    case client::DeliveryState::kDelivered:
      return "delivered";
    case client::DeliveryState::kQueued:
      return "queued";
    case client::DeliveryState::kFailed:
      return "failed";
    default:
      return "received";
  }
}

std::string StatusName(client::CaseStatus s) {
  return s == client::CaseStatus::kClosed ? "closed" : "open";
}

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string MessageJson(const std::string& case_id,
                        const client::CaseMessage& m) {
  JsonObject o;
  if (!case_id.empty()) o.Str("case", Hex(case_id));
  return o.Str("id", Hex(m.message_id))
      .Str("direction", DirectionName(m.direction))
      .Str("delivery", DeliveryName(m.delivery))
      .Str("time", TimeText(m.time))
      .Str("body", m.body)
      .Build();
}

std::string MessageText(const client::CaseMessage& m) {
  const bool in = m.direction == client::Direction::kIncoming;
  return absl::StrCat(TimeText(m.time), "  ", in ? "them -> me" : "me -> them",
                      "  [", DeliveryName(m.delivery), "]  ", m.body, "\n");
}

int Fail(const absl::Status& status) {
  PrintError(status.message().empty() ? status.ToString()
                                      : std::string(status.message()));
  return kExitFailure;
}

}  // namespace confidant::cli
