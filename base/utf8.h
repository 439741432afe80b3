// UTF-8 decoding and validation, strict as RFC 3629 has it: no overlong
// forms, no surrogates, nothing beyond U+10FFFF.
#ifndef CONFIDANT_BASE_UTF8_H_
#define CONFIDANT_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace confidant::base {

// Decodes the code point that starts at `text[pos]` (pos < text.size()) into
// `out_code_point`; returns its length in bytes (1..4), or 0 if the bytes
// there are not valid UTF-8 (then `out_code_point` is unchanged).
size_t DecodeUtf8(std::string_view text, size_t pos, uint32_t& out_code_point);

// True if all of `text` is valid UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view text);

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_UTF8_H_
