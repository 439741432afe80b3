#include "crypto/platform_memory.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define CONFIDANT_SANITIZED_HEAP 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CONFIDANT_SANITIZED_HEAP 1
#endif

// Page-backed pools where the platform has mmap, mlock and MADV_DONTDUMP; the
// sanitizers keep the ordinary heap so that they still see overflows.
#if defined(__linux__) && !defined(CONFIDANT_SANITIZED_HEAP)
#define CONFIDANT_PROTECTED_PAGES 1
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace confidant::crypto {

void WipeMemory(void* p, size_t size) {
  volatile uint8_t* bytes = static_cast<volatile uint8_t*>(p);
  for (size_t i = 0; i < size; ++i) bytes[i] = 0;
    // The empty asm with a memory clobber keeps the stores above alive.
#if defined(__GNUC__) || defined(__clang__)
  __asm__ __volatile__("" : : "r"(p) : "memory");
#endif
}

#if defined(CONFIDANT_PROTECTED_PAGES)
namespace {

// Small secrets come from per-size slabs of whole pages, so a page holds
// secrets only and locking or excluding it affects nothing else. Slabs are
// never given back. Large secrets get pages of their own.
constexpr size_t kMinClass = 32;
constexpr size_t kMaxClass = 2048;
constexpr int kClasses = 7;  // 32, 64, ..., 2048
constexpr size_t kSlabSize = 64 * 1024;

size_t PageSize() {
  static const size_t size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

int ClassOf(size_t size) {
  size_t c = kMinClass;
  int index = 0;
  while (c < size) {
    c <<= 1;
    ++index;
  }
  return index;
}

size_t ClassSize(int index) { return kMinClass << index; }

class SecretPool {
 public:
  void* Allocate(size_t size) {
    if (size > kMaxClass) return MapProtected(RoundUp(size, PageSize()));
    const int c = ClassOf(size);
    absl::MutexLock lock(&mu_);
    if (free_[c] == nullptr && !GrowLocked(c)) return nullptr;
    FreeChunk* chunk = free_[c];
    free_[c] = chunk->next;
    chunk->next = nullptr;  // chunks are handed out zeroed
    return chunk;
  }

  void Free(void* p, size_t size) {
    if (size > kMaxClass) {
      const size_t length = RoundUp(size, PageSize());
      WipeMemory(p, length);
      ::munlock(p, length);
      ::munmap(p, length);
      return;
    }
    const int c = ClassOf(size);
    WipeMemory(p, ClassSize(c));
    absl::MutexLock lock(&mu_);
    auto* chunk = static_cast<FreeChunk*>(p);
    chunk->next = free_[c];
    free_[c] = chunk;
  }

  SecretMemoryProtection protection() {
    absl::MutexLock lock(&mu_);
    return protection_;
  }

 private:
  struct FreeChunk {
    FreeChunk* next;
  };

  // Fresh zeroed pages, locked and excluded from dumps where allowed.
  void* MapProtected(size_t length) {
    void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    bool excluded = true;
#if defined(MADV_DONTDUMP)
    excluded = ::madvise(p, length, MADV_DONTDUMP) == 0;
#else
    excluded = false;
#endif
    const bool locked = ::mlock(p, length) == 0;
    absl::MutexLock lock(&mu_);
    if (!any_region_) {
      protection_ = {excluded, locked};
      any_region_ = true;
    } else {
      protection_.excluded_from_dumps &= excluded;
      protection_.locked &= locked;
    }
    return p;
  }

  bool GrowLocked(int c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    mu_.Unlock();
    void* slab = MapProtected(kSlabSize);
    mu_.Lock();
    if (slab == nullptr) return false;
    const size_t chunk = ClassSize(c);
    auto* bytes = static_cast<uint8_t*>(slab);
    for (size_t at = kSlabSize; at >= chunk; at -= chunk) {
      auto* free_chunk = reinterpret_cast<FreeChunk*>(bytes + at - chunk);
      free_chunk->next = free_[c];
      free_[c] = free_chunk;
    }
    return true;
  }

  absl::Mutex mu_;
  FreeChunk* free_[kClasses] ABSL_GUARDED_BY(mu_) = {};
  SecretMemoryProtection protection_ ABSL_GUARDED_BY(mu_);
  bool any_region_ ABSL_GUARDED_BY(mu_) = false;
};

SecretPool& Pool() {
  static SecretPool* const pool = new SecretPool;  // never destroyed
  return *pool;
}

}  // namespace

void* AllocateSecretMemory(size_t size) {
  void* p = Pool().Allocate(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void FreeSecretMemory(void* p, size_t size) {
  if (p != nullptr) Pool().Free(p, size == 0 ? 1 : size);
}

SecretMemoryProtection GetSecretMemoryProtection() {
  return Pool().protection();
}

#else  // portable fallback: the heap, wiped on release

void* AllocateSecretMemory(size_t size) {
  return new uint8_t[size == 0 ? 1 : size]();
}

void FreeSecretMemory(void* p, size_t size) {
  if (p == nullptr) return;
  WipeMemory(p, size == 0 ? 1 : size);
  delete[] static_cast<uint8_t*>(p);
}

SecretMemoryProtection GetSecretMemoryProtection() { return {}; }

#endif

}  // namespace confidant::crypto
