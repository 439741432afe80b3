#include "server/text.h"

#include <unicode/uchar.h>

#include <cstddef>
#include <cstdint>

namespace confidant::server {
namespace {

// Decodes the code point at `text[i]`; returns its length, or 0 if invalid.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t& out_cp) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[i + k]);
  };
  const unsigned char c = byte(0);
  size_t len;
  uint32_t cp;
  uint32_t min;
  if (c < 0x80) {
    out_cp = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2;
    cp = c & 0x1f;
    min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    cp = c & 0x0f;
    min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  out_cp = cp;
  return len;
}

bool IsControl(uint32_t cp, bool allow_newlines) {
  if (cp == '\n') return !allow_newlines;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
         cp == 0x2029;
}

// Unicode's format characters (general category Cf), from ICU: its tables
// follow each Unicode release (Debian 12's ICU 72 has Unicode 15.0) and get
// Debian's security updates, where a table of our own would be updated by
// hand or not at all.
bool IsFormatCharacter(uint32_t cp) {
  return u_charType(static_cast<UChar32>(cp)) == U_FORMAT_CHAR;
}

}  // namespace

TextProblem CheckDisplayText(std::string_view text, bool allow_newlines) {
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) return TextProblem::kInvalidUtf8;
    if (IsControl(cp, allow_newlines)) return TextProblem::kControlCharacter;
    if (IsFormatCharacter(cp)) return TextProblem::kFormatCharacter;
    i += len;
  }
  return TextProblem::kNone;
}

}  // namespace confidant::server
