// Randomness, behind an interface so tests can make it predictable.
#ifndef CONFIDANT_SERVER_RANDOM_H_
#define CONFIDANT_SERVER_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace confidant::server {

class Random {
 public:
  virtual ~Random() = default;
  // Returns `n` random bytes. Thread-safe.
  virtual std::string Bytes(size_t n) = 0;
};

// Cryptographically secure randomness from OpenSSL. Aborts the process if the
// system has no entropy (nothing safe can be done then). Never deleted.
Random& SecureRandom();

// A deterministic sequence for tests; not secure. Thread-safe.
class FakeRandom : public Random {
 public:
  explicit FakeRandom(uint64_t seed) : state_(seed) {}
  std::string Bytes(size_t n) override;

 private:
  absl::Mutex mu_;
  uint64_t state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_RANDOM_H_
