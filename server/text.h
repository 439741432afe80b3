// What the relay accepts as human-readable text (organisation names, trust
// person profiles): text every employee's screen shows as it was meant.
#ifndef CONFIDANT_SERVER_TEXT_H_
#define CONFIDANT_SERVER_TEXT_H_

#include <string_view>

namespace confidant::server {

enum class TextProblem {
  kNone,
  kInvalidUtf8,       // malformed, overlong, surrogate or beyond U+10FFFF
  kControlCharacter,  // C0 (newline only where allowed), DEL, C1, U+2028/9
  kFormatCharacter,   // Unicode category Cf: direction marks, embeddings,
                      // overrides and isolates, zero-width characters, BOM
};

// The first problem in `text`, or kNone. Format characters are refused
// because they can make a name read as another one, invisibly (U+200B) or
// reversed (U+202E).
TextProblem CheckDisplayText(std::string_view text, bool allow_newlines);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_TEXT_H_
