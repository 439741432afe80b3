// Fixed-width integers in byte strings, as the formats of the relay and the
// clients lay them out. Header-only; portable C++.
#ifndef CONFIDANT_BASE_BYTES_H_
#define CONFIDANT_BASE_BYTES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace confidant::base {

// Writes the low `bytes` bytes of `v` to `out` (which must have room for
// them), least significant first.
inline void EncodeLittleEndian(char* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out[i] = static_cast<char>(v >> (8 * i));
  }
}

// Appends the low `bytes` bytes of `v`, least significant first.
inline void PutLittleEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>(v >> (8 * i)));
  }
}

// Reads `bytes` bytes of `in` (which must hold them), least significant
// first.
inline uint64_t GetLittleEndian(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  }
  return v;
}

// Appends the low `bytes` bytes of `v`, most significant first.
inline void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<char>(v >> (8 * i)));
  }
}

// Reads `bytes` bytes of `in` (which must hold them), most significant first.
inline uint64_t GetBigEndian(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | static_cast<uint8_t>(in[i]);
  }
  return v;
}

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_BYTES_H_
