// Envelope contents for the load generator: realistic padded sizes, filled
// with incompressible bytes, with a stamp in the first bytes so the receiving
// side of the same process can compute end-to-end latency.
#ifndef CONFIDANT_TOOLS_LOADGEN_PAYLOAD_H_
#define CONFIDANT_TOOLS_LOADGEN_PAYLOAD_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "confidant/v1/wire.h"

namespace confidant::loadgen {

// What the first kStampSize bytes of every generated envelope carry.
struct Stamp {
  int64_t send_nanos = 0;  // MonotonicNanos() when the send was due
  uint32_t sender = 0;     // index of the sending slot or account
  uint64_t seq = 0;        // per-run sequence number, unique per envelope
};

inline constexpr size_t kStampSize = 32;

// The sealed-envelope buckets clients pad to (docs/protocol.md section 4).
inline constexpr size_t kBucketSizes[] = {1024, 4096, 16384, 65536,
                                          wire::kMaxEnvelopeSize};

// A weighted choice of envelope sizes, e.g. "1k:90,4k:10".
class SizeMix {
 public:
  // Parses SIZE:WEIGHT[,SIZE:WEIGHT...]; SIZE is one of the buckets, written
  // in bytes or with a k suffix (1k = 1024). INVALID_ARGUMENT naming the bad
  // part otherwise.
  static absl::StatusOr<SizeMix> Parse(absl::string_view text);

  // The size for a uniformly random 64-bit value.
  size_t Pick(uint64_t random) const;
  // Expected size of one envelope.
  double MeanBytes() const;
  // Canonical form, e.g. "1k:90,4k:10".
  std::string Describe() const;

 private:
  struct Entry {
    size_t size;
    uint64_t weight;
  };
  std::vector<Entry> entries_;
  uint64_t total_weight_ = 0;
};

// Makes envelope contents: a stamp, then bytes taken at a random offset from
// a pool of random bytes, so that no two envelopes share a block and the
// relay's storage cannot compress them (real envelopes are ciphertext).
// Thread-safe after construction.
class PayloadFactory {
 public:
  explicit PayloadFactory(uint64_t seed);

  // `size` must be at least kStampSize and at most the largest bucket.
  std::string Make(size_t size, const Stamp& stamp, uint64_t random) const;

 private:
  std::string pool_;
};

// The stamp of a generated envelope, or nullopt for anything else.
std::optional<Stamp> ReadStamp(absl::string_view content);

// CLOCK_MONOTONIC in nanoseconds.
int64_t MonotonicNanos();

// A small fast generator (splitmix64) for choices on the hot path.
uint64_t SplitMix64(uint64_t* state);

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_PAYLOAD_H_
