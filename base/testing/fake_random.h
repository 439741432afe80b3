// A Random for tests: the same seed gives the same bytes, on every machine.
#ifndef CONFIDANT_BASE_TESTING_FAKE_RANDOM_H_
#define CONFIDANT_BASE_TESTING_FAKE_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "base/random.h"

namespace confidant::base {

// A deterministic sequence (splitmix64); not secure. Thread-safe.
class FakeRandom : public base::Random {
 public:
  explicit FakeRandom(uint64_t seed) : state_(seed) {}
  std::string Bytes(size_t n) override;

 private:
  absl::Mutex mu_;
  uint64_t state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_TESTING_FAKE_RANDOM_H_
