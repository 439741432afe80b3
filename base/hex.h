// Lower-case hexadecimal, for ids in logs and on command lines. Encoding is
// Abseil's; the strict decoder is ours (absl::HexStringToBytes accepts any
// input and silently mangles what is not hex).
#ifndef CONFIDANT_BASE_HEX_H_
#define CONFIDANT_BASE_HEX_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace confidant::base {

// Two lower-case hex digits a byte.
inline std::string HexEncode(std::string_view bytes) {
  return absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size()));
}

// The bytes `hex` spells, upper or lower case; nullopt if its length is odd
// or it holds anything but hex digits.
inline std::optional<std::string> HexDecode(std::string_view hex) {
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_HEX_H_
