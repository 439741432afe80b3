// Memory for secrets, kept out of swap (mlock) and out of core dumps
// (MADV_DONTDUMP) where the platform allows it. Elsewhere, and in sanitizer
// builds, it is ordinary heap memory that is still wiped when released.
#ifndef CONFIDANT_CRYPTO_PLATFORM_MEMORY_H_
#define CONFIDANT_CRYPTO_PLATFORM_MEMORY_H_

#include <cstddef>

namespace confidant::crypto {

// `size` zero bytes for a secret (a valid, unique pointer even for size 0).
// Throws std::bad_alloc when memory is exhausted, like operator new.
// Thread-safe.
void* AllocateSecretMemory(size_t size);

// Wipes and releases `p`, which AllocateSecretMemory(`size`) returned.
// Thread-safe.
void FreeSecretMemory(void* p, size_t size);

// Overwrites `size` bytes at `p` with zeros in a way the compiler cannot drop.
void WipeMemory(void* p, size_t size);

// What the platform granted for the secret memory handed out so far.
struct SecretMemoryProtection {
  bool excluded_from_dumps = false;  // every region is MADV_DONTDUMP
  bool locked = false;               // every region is mlock'ed
};
// The protection of secret memory in this process. A failed mlock (for
// example RLIMIT_MEMLOCK reached) leaves the memory usable but unlocked.
// Thread-safe.
SecretMemoryProtection GetSecretMemoryProtection();

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_PLATFORM_MEMORY_H_
