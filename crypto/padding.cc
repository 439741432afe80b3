#include "crypto/padding.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "crypto/errors.h"

namespace confidant::crypto {

static_assert(kEnvelopeBuckets.back() == kMaxEnvelopeSize);
static_assert(kMaxPaddedPlaintextSize % kPaddingBlockSize == 0);

std::string PadPlaintext(std::string_view plaintext) {
  const size_t padded_size =
      (plaintext.size() / kPaddingBlockSize + 1) * kPaddingBlockSize;
  std::string out;
  out.reserve(padded_size);
  out.append(plaintext);
  out.push_back(kPaddingMarker);
  out.resize(padded_size, '\0');
  return out;
}

absl::StatusOr<std::string> UnpadPlaintext(std::string_view padded) {
  if (padded.empty()) {
    return CryptoStatus(CryptoError::kBadPadding, "padded plaintext is empty");
  }
  if (padded.size() % kPaddingBlockSize != 0) {
    return CryptoStatus(
        CryptoError::kBadPadding,
        absl::StrCat("padded plaintext length ", padded.size(),
                     " is not a multiple of ", kPaddingBlockSize));
  }
  const size_t last_block = padded.size() - kPaddingBlockSize;
  size_t pos = padded.size();
  while (pos > last_block) {
    --pos;
    const char c = padded[pos];
    if (c == kPaddingMarker) return std::string(padded.substr(0, pos));
    if (c != '\0') {
      return CryptoStatus(CryptoError::kBadPadding,
                          "non-zero byte after the padding marker");
    }
  }
  return CryptoStatus(CryptoError::kBadPadding,
                      "no padding marker in the last block");
}

size_t EnvelopeBucket(size_t size) {
  for (size_t bucket : kEnvelopeBuckets) {
    if (size <= bucket) return bucket;
  }
  return 0;
}

}  // namespace confidant::crypto
