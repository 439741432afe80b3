#include "base/testing/fake_random.h"

namespace confidant::base {

std::string FakeRandom::Bytes(size_t n) {
  absl::MutexLock lock(&mu_);
  std::string out(n, '\0');
  for (auto& c : out) {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    c = static_cast<char>((z ^ (z >> 31)) & 0xff);
  }
  return out;
}

}  // namespace confidant::base
