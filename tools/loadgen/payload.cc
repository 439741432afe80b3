#include "tools/loadgen/payload.h"

#include <time.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/bytes.h"

namespace confidant::loadgen {
namespace {

constexpr char kMagic[4] = {'C', 'L', 'G', '1'};
constexpr size_t kPoolSize = (1 << 20) + wire::kMaxEnvelopeSize;

std::string SizeName(size_t size) {
  return size % 1024 == 0 ? absl::StrCat(size / 1024, "k") : absl::StrCat(size);
}

}  // namespace

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

absl::StatusOr<SizeMix> SizeMix::Parse(absl::string_view text) {
  SizeMix mix;
  if (text.empty()) {
    return absl::InvalidArgumentError("--sizes is empty");
  }
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> kv = absl::StrSplit(part, ':');
    if (kv.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--sizes: '", part, "' is not SIZE:WEIGHT (e.g. 1k:90,4k:10)"));
    }
    absl::string_view size_text = kv[0];
    uint64_t multiplier = 1;
    if (absl::ConsumeSuffix(&size_text, "k") ||
        absl::ConsumeSuffix(&size_text, "K")) {
      multiplier = 1024;
    }
    uint64_t size = 0, weight = 0;
    if (!absl::SimpleAtoi(size_text, &size) ||
        !absl::SimpleAtoi(kv[1], &weight)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--sizes: '", part, "' is not SIZE:WEIGHT"));
    }
    size *= multiplier;
    if (std::find(std::begin(kBucketSizes), std::end(kBucketSizes), size) ==
        std::end(kBucketSizes)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--sizes: ", kv[0],
          " is not an envelope bucket (1k, 4k, 16k, 64k or 256k)"));
    }
    if (weight == 0 || weight > 1000000) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--sizes: the weight in '", part, "' must be 1..1000000"));
    }
    mix.entries_.push_back({static_cast<size_t>(size), weight});
    mix.total_weight_ += weight;
  }
  return mix;
}

size_t SizeMix::Pick(uint64_t random) const {
  uint64_t r = random % total_weight_;
  for (const Entry& e : entries_) {
    if (r < e.weight) return e.size;
    r -= e.weight;
  }
  return entries_.back().size;
}

double SizeMix::MeanBytes() const {
  double sum = 0;
  for (const Entry& e : entries_) {
    sum += static_cast<double>(e.size) * static_cast<double>(e.weight);
  }
  return sum / static_cast<double>(total_weight_);
}

std::string SizeMix::Describe() const {
  return absl::StrJoin(entries_, ",", [](std::string* out, const Entry& e) {
    absl::StrAppend(out, SizeName(e.size), ":", e.weight);
  });
}

PayloadFactory::PayloadFactory(uint64_t seed) : pool_(kPoolSize, '\0') {
  uint64_t state = seed;
  for (size_t i = 0; i + 8 <= pool_.size(); i += 8) {
    base::EncodeLittleEndian(&pool_[i], SplitMix64(&state), 8);
  }
}

std::string PayloadFactory::Make(size_t size, const Stamp& stamp,
                                 uint64_t random) const {
  size = std::clamp<size_t>(size, kStampSize, kPoolSize - (1 << 20));
  const size_t offset = random % (1 << 20);
  std::string out;
  out.resize(size);
  std::memcpy(out.data(), kMagic, 4);
  base::EncodeLittleEndian(&out[4], 0, 4);
  base::EncodeLittleEndian(&out[8], static_cast<uint64_t>(stamp.send_nanos), 8);
  base::EncodeLittleEndian(&out[16], stamp.sender, 4);
  base::EncodeLittleEndian(&out[20], 0, 4);
  base::EncodeLittleEndian(&out[24], stamp.seq, 8);
  std::memcpy(&out[kStampSize], pool_.data() + offset, size - kStampSize);
  return out;
}

std::optional<Stamp> ReadStamp(absl::string_view content) {
  if (content.size() < kStampSize ||
      std::memcmp(content.data(), kMagic, 4) != 0) {
    return std::nullopt;
  }
  const std::string_view stamp(content.data(), kStampSize);
  Stamp s;
  s.send_nanos =
      static_cast<int64_t>(base::GetLittleEndian(stamp.substr(8), 8));
  s.sender = static_cast<uint32_t>(base::GetLittleEndian(stamp.substr(16), 4));
  s.seq = base::GetLittleEndian(stamp.substr(24), 8);
  return s;
}

}  // namespace confidant::loadgen
