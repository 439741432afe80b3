// Safety numbers: libsignal's numeric fingerprint of two identity keys, as
// Signal shows them (5200 SHA-512 iterations, scannable version 1), so two
// people can verify they talk to each other without a man in the middle.
#ifndef CONFIDANT_CRYPTO_SAFETY_NUMBER_H_
#define CONFIDANT_CRYPTO_SAFETY_NUMBER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confidant::crypto {

inline constexpr int kSafetyNumberIterations = 5200;
inline constexpr int kScannableVersion = 1;

struct SafetyNumber {
  // 60 decimal digits, the same on both sides.
  std::string digits;
  // The bytes for a QR code (libsignal's CombinedFingerprints protobuf); each
  // side's differs (local and remote swapped).
  std::string scannable;

  // "12345 67890 ..." : 12 groups of 5 digits separated by single spaces.
  std::string Grouped() const;
};

// The safety number between the local account `local_id` with identity key
// `local_identity_key` (33 bytes) and the remote one. Ids are the account ids
// as given (stable identifiers). kInvalidKey for a malformed key,
// kInvalidMessage for an empty id or one containing NUL.
absl::StatusOr<SafetyNumber> ComputeSafetyNumber(
    std::string_view local_id, std::string_view local_identity_key,
    std::string_view remote_id, std::string_view remote_identity_key);

// Compares the code scanned from the peer's screen with ours: true if both
// sides see the same pair of keys, false if the keys differ. kInvalidMessage
// for bytes that are not a scannable fingerprint, kBadVersion for another
// scannable version.
absl::StatusOr<bool> MatchesScanned(const SafetyNumber& mine,
                                    std::string_view scanned);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SAFETY_NUMBER_H_
