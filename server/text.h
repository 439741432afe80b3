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

// What is wrong with `text`, or kNone (malformed UTF-8 and controls are
// looked for before format characters). Format characters are refused
// because they can make a name read as another one, invisibly (U+200B) or
// reversed (U+202E); but the zero-width joiner and non-joiner are accepted
// where a script or an emoji sequence needs them (text.cc), so a Persian or
// Hindi name is written as it should be.
TextProblem CheckDisplayText(std::string_view text, bool allow_newlines);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_TEXT_H_
