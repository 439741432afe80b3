// Token-bucket rate limits keyed by an opaque string (an account id or an
// organisation id), kept in memory only.
#ifndef CONFIDANT_SERVER_RATE_LIMITER_H_
#define CONFIDANT_SERVER_RATE_LIMITER_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace confidant::server {

class RateLimiter {
 public:
  // Each key may take `burst` actions at once and `per_second` more every
  // second after that. `clock` must outlive the limiter.
  RateLimiter(double per_second, double burst, base::Clock& clock);

  // Takes `cost` tokens for `key` (for example a size in bytes); false, and
  // nothing taken, if the bucket holds fewer. A cost above the burst never
  // succeeds. Thread-safe.
  bool TryAcquire(std::string_view key, double cost = 1.0);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void PruneFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double per_second_;
  const double burst_;
  base::Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_RATE_LIMITER_H_
