// Randomness, behind an interface so tests can make it predictable
// (base/testing/fake_random.h).
#ifndef CONFIDANT_BASE_RANDOM_H_
#define CONFIDANT_BASE_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace confidant::base {

class Random {
 public:
  virtual ~Random() = default;
  // Returns `n` random bytes. Thread-safe in every implementation.
  virtual std::string Bytes(size_t n) = 0;

  // A uniformly distributed integer in [lo, hi] (both included); `lo` if
  // hi <= lo. Unbiased (rejection sampling over Bytes()).
  uint64_t UniformInt(uint64_t lo, uint64_t hi);

  // A uniformly distributed duration in [lo, hi], to the nanosecond; `lo` if
  // hi <= lo. For jitter and delays, not for secrets.
  absl::Duration UniformDuration(absl::Duration lo, absl::Duration hi);
};

// Cryptographically secure randomness from OpenSSL. Aborts the process if the
// system has no entropy (nothing safe can be done then). The result is never
// deleted; thread-safe.
Random& SecureRandom();

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_RANDOM_H_
