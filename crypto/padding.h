// Padding that hides message lengths: Signal's inner plaintext padding, and
// the fixed envelope sizes ("buckets") the relay sees. Formats:
// docs/protocol.md.
#ifndef CONFIDANT_CRYPTO_PADDING_H_
#define CONFIDANT_CRYPTO_PADDING_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "confidant/v1/wire.h"

namespace confidant::crypto {

// Inner plaintexts are padded to a multiple of this many bytes.
inline constexpr size_t kPaddingBlockSize = 160;
// The byte that ends the message and starts the padding.
inline constexpr char kPaddingMarker = '\x80';

// The relay's cap on one envelope, in bytes (whole envelope, all layers).
inline constexpr size_t kMaxEnvelopeSize = wire::kMaxEnvelopeSize;

// Every sealed envelope has exactly one of these sizes (1, 4, 16, 64 and
// 256 KiB). Powers of four: at most 5 sizes (about 2.3 bits per envelope for
// the relay), at most 4x overhead; 1 KiB holds every ordinary text message, and
// the largest bucket is the relay's cap, so no sealed envelope exceeds it.
inline constexpr std::array<size_t, 5> kEnvelopeBuckets = {
    1024, 4096, 16384, 65536, kMaxEnvelopeSize};

// Worst-case bytes libsignal adds to a padded plaintext: a PreKey message
// (version byte, registration id, pre-key ids, base and identity keys,
// inner Signal message with ratchet key, counters, AES-CBC block and MAC).
inline constexpr size_t kSignalMessageOverhead = 169;
// Bytes the sealed layer adds around a libsignal message: version (1),
// ephemeral key (32), sender certificate (122), message type (1), message
// length (4), GCM tag (16). See sealed.h and sender_certificate.h.
inline constexpr size_t kSealedOverhead = 176;
// The largest padded inner plaintext whose sealed envelope fits the cap.
inline constexpr size_t kMaxPaddedPlaintextSize =
    (kMaxEnvelopeSize - kSealedOverhead - kSignalMessageOverhead) /
    kPaddingBlockSize * kPaddingBlockSize;
// The largest application message (before padding) that fits one envelope.
inline constexpr size_t kMaxPlaintextSize = kMaxPaddedPlaintextSize - 1;

// Appends 0x80 and then zeros up to the smallest multiple of 160 that is
// strictly greater than `plaintext.size()`: the result is 1 to 160 bytes
// longer (an empty plaintext becomes 160 bytes, 159 bytes become 160, 160
// bytes become 320).
std::string PadPlaintext(std::string_view plaintext);

// Inverse of PadPlaintext. kBadPadding if `padded` is empty, not a multiple
// of 160 bytes long, has no 0x80 marker in its last 160 bytes, or has a
// non-zero byte after the marker. Not constant-time: call it only on
// authenticated plaintext.
absl::StatusOr<std::string> UnpadPlaintext(std::string_view padded);

// The smallest bucket that holds `size` bytes, or 0 if `size` exceeds
// kMaxEnvelopeSize.
size_t EnvelopeBucket(size_t size);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_PADDING_H_
