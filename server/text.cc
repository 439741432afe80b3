#include "server/text.h"

#include <unicode/uchar.h>

#include <cstddef>
#include <cstdint>
#include <vector>

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

constexpr uint32_t kZwnj = 0x200C;
constexpr uint32_t kZwj = 0x200D;
constexpr uint32_t kEmojiPresentation = 0xFE0F;  // variation selector 16
constexpr uint8_t kViramaClass = 9;

int JoiningType(uint32_t cp) {
  return u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_JOINING_TYPE);
}

bool Has(uint32_t cp, UProperty property) {
  return u_hasBinaryProperty(static_cast<UChar32>(cp), property);
}

// Whether the zero-width (non-)joiner at `cps[i]` is where a script or an
// emoji sequence needs it: the only two format characters with such a use in
// a name. The joiner rules are IDNA's (RFC 5892, appendix A.1 and A.2):
// after a virama, or a non-joiner between letters that join (Persian writes
// mi-khaham, "I want", with one). An emoji ZWJ sequence (UTS #51) joins two
// pictographs, the first perhaps with a skin tone or U+FE0F after it.
bool JoinerInContext(const std::vector<uint32_t>& cps, size_t i) {
  if (i == 0 || i + 1 == cps.size()) return false;
  if (u_getCombiningClass(static_cast<UChar32>(cps[i - 1])) == kViramaClass) {
    return true;
  }
  if (cps[i] == kZwnj) {
    size_t before = i;
    while (before > 0 && JoiningType(cps[before - 1]) == U_JT_TRANSPARENT) {
      --before;
    }
    size_t after = i + 1;
    while (after < cps.size() && JoiningType(cps[after]) == U_JT_TRANSPARENT) {
      ++after;
    }
    if (before == 0 || after == cps.size()) return false;
    const int left = JoiningType(cps[before - 1]);
    const int right = JoiningType(cps[after]);
    return (left == U_JT_LEFT_JOINING || left == U_JT_DUAL_JOINING) &&
           (right == U_JT_RIGHT_JOINING || right == U_JT_DUAL_JOINING);
  }
  size_t before = i;
  while (before > 0 && (cps[before - 1] == kEmojiPresentation ||
                        Has(cps[before - 1], UCHAR_EMOJI_MODIFIER))) {
    --before;
  }
  return before > 0 && Has(cps[before - 1], UCHAR_EXTENDED_PICTOGRAPHIC) &&
         Has(cps[i + 1], UCHAR_EXTENDED_PICTOGRAPHIC);
}

}  // namespace

TextProblem CheckDisplayText(std::string_view text, bool allow_newlines) {
  std::vector<uint32_t> cps;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t len = base::DecodeUtf8(text, i, cp);
    if (len == 0) return TextProblem::kInvalidUtf8;
    if (IsControl(cp, allow_newlines)) return TextProblem::kControlCharacter;
    cps.push_back(cp);
    i += len;
  }
  for (size_t i = 0; i < cps.size(); ++i) {
    if (!IsFormatCharacter(cps[i])) continue;
    if ((cps[i] == kZwnj || cps[i] == kZwj) && JoinerInContext(cps, i)) {
      continue;
    }
    return TextProblem::kFormatCharacter;
  }
  return TextProblem::kNone;
}

}  // namespace confidant::server
