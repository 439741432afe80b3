#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <limits>

#include "absl/time/clock.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/random.h"

namespace confidant::base {
namespace {

class RealClockImpl : public base::Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

class SecureRandomImpl : public base::Random {
 public:
  std::string Bytes(size_t n) override {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                            static_cast<int>(n)) != 1) {
      std::fputs("fatal: the system random number generator failed\n", stderr);
      std::abort();
    }
    return out;
  }
};

}  // namespace

Clock& RealClock() {
  static RealClockImpl* clock = new RealClockImpl;
  return *clock;
}

Random& SecureRandom() {
  static SecureRandomImpl* random = new SecureRandomImpl;
  return *random;
}

uint64_t Random::UniformInt(uint64_t lo, uint64_t hi) {
  if (hi <= lo) return lo;
  const uint64_t span = hi - lo;  // the result is lo + [0, span]
  if (span == std::numeric_limits<uint64_t>::max()) {
    return GetBigEndian(Bytes(8), 8);
  }
  const uint64_t range = span + 1;
  // The largest multiple of `range` that fits, so every value is equally
  // likely; rejects less than half of the draws.
  const uint64_t limit = std::numeric_limits<uint64_t>::max() -
                         std::numeric_limits<uint64_t>::max() % range;
  for (;;) {
    const uint64_t v = GetBigEndian(Bytes(8), 8);
    if (v < limit) return lo + v % range;
  }
}

absl::Duration Random::UniformDuration(absl::Duration lo, absl::Duration hi) {
  if (hi <= lo) return lo;
  const int64_t span = absl::ToInt64Nanoseconds(hi - lo);
  return lo + absl::Nanoseconds(static_cast<int64_t>(
                  UniformInt(0, static_cast<uint64_t>(span))));
}

}  // namespace confidant::base
