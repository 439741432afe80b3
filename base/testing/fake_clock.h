// A Clock for tests that moves only when told.
#ifndef CONFIDANT_BASE_TESTING_FAKE_CLOCK_H_
#define CONFIDANT_BASE_TESTING_FAKE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace confidant::base {

// Starts at `start`; Now() changes only by Advance() or Set(). Thread-safe.
class FakeClock : public base::Clock {
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
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_TESTING_FAKE_CLOCK_H_
