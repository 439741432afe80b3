#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "server/clock.h"
#include "server/random.h"

namespace confidant::server {
namespace {

class RealClockImpl : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

class SecureRandomImpl : public Random {
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

std::string FakeRandom::Bytes(size_t n) {
  absl::MutexLock lock(&mu_);
  std::string out(n, '\0');
  for (auto& c : out) {
    // splitmix64
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    c = static_cast<char>((z ^ (z >> 31)) & 0xff);
  }
  return out;
}

}  // namespace confidant::server
