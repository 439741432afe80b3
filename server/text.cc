#include "server/text.h"

#include <unicode/uchar.h>

#include <cstddef>
#include <cstdint>

#include "base/utf8.h"

namespace confidant::server {
namespace {

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
    const size_t len = base::DecodeUtf8(text, i, cp);
    if (len == 0) return TextProblem::kInvalidUtf8;
    if (IsControl(cp, allow_newlines)) return TextProblem::kControlCharacter;
    if (IsFormatCharacter(cp)) return TextProblem::kFormatCharacter;
    i += len;
  }
  return TextProblem::kNone;
}

}  // namespace confidant::server
