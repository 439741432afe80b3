// Time, behind an interface so tests can move it.
#ifndef CONFIDANT_SERVER_CLOCK_H_
#define CONFIDANT_SERVER_CLOCK_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace confidant::server {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;

  // Whole hours since the Unix epoch: the only time the relay ever stores.
  uint32_t NowHour() {
    return static_cast<uint32_t>(absl::ToUnixSeconds(Now()) / 3600);
  }
};

// The real clock. The result of RealClock() is never deleted; thread-safe.
Clock& RealClock();

// A clock that moves only when told. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_CLOCK_H_
