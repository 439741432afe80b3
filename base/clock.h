// Time, behind an interface so tests can move it (base/testing/fake_clock.h).
#ifndef CONFIDANT_BASE_CLOCK_H_
#define CONFIDANT_BASE_CLOCK_H_

#include <cstdint>

#include "absl/time/time.h"

namespace confidant::base {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time. Thread-safe in every implementation.
  virtual absl::Time Now() = 0;

  // Whole hours since the Unix epoch: the only time the relay ever stores.
  uint32_t NowHour() {
    return static_cast<uint32_t>(absl::ToUnixSeconds(Now()) / 3600);
  }
};

// The system's clock. The result of RealClock() is never deleted; thread-safe.
Clock& RealClock();

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_CLOCK_H_
