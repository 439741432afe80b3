// Fuzzes UnpadPlaintext (crypto/padding.h): it must never crash, must reject
// with kBadPadding only, and must accept exactly PadPlaintext's outputs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/errors.h"
#include "crypto/padding.h"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "unpad fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ::confidant::crypto::CryptoError;
  using ::confidant::crypto::GetCryptoError;
  using ::confidant::crypto::PadPlaintext;
  using ::confidant::crypto::UnpadPlaintext;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<std::string> unpadded = UnpadPlaintext(input);
  if (unpadded.ok()) {
    Check(PadPlaintext(*unpadded) == input, "accepted non-canonical padding");
  } else {
    Check(GetCryptoError(unpadded.status()) == CryptoError::kBadPadding,
          "rejected with a kind other than kBadPadding");
  }

  absl::StatusOr<std::string> round_trip = UnpadPlaintext(PadPlaintext(input));
  Check(round_trip.ok() && *round_trip == input, "round trip failed");
  return 0;
}
