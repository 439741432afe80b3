// Key material and other secrets: bytes that are wiped when released.
#ifndef CONFIDANT_CRYPTO_SECRET_H_
#define CONFIDANT_CRYPTO_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace confidant::crypto {

// Owns a byte buffer that is overwritten with zeros (in a way the compiler
// cannot drop) when destroyed, moved from, or reassigned. The buffer comes
// from crypto/platform_memory.h: locked in RAM and left out of core dumps
// where the platform allows. Move-only; copy explicitly with Clone(). Not
// thread-safe.
class SecretBytes {
 public:
  SecretBytes() = default;
  // `size` zero bytes.
  explicit SecretBytes(size_t size);
  // A copy of `bytes`; the caller wipes its own copy if it must.
  static SecretBytes CopyOf(std::string_view bytes);
  // `size` bytes from the system's cryptographic random generator, written
  // straight into the secret buffer. Aborts if the generator fails.
  static SecretBytes Random(size_t size);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  SecretBytes Clone() const;

  uint8_t* data() { return data_ != nullptr ? data_ : &empty_; }
  const uint8_t* data() const { return data_ != nullptr ? data_ : &empty_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // A view that must not outlive this object.
  std::string_view view() const {
    return std::string_view(reinterpret_cast<const char*>(data()), size_);
  }

  // Constant-time equality.
  bool Equals(const SecretBytes& other) const;

 private:
  void Wipe();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  // What data() points at when empty: never written (size 0).
  static inline uint8_t empty_ = 0;
};

// Overwrites `bytes` with zeros in a way the compiler cannot drop.
void WipeString(std::string& bytes);

// Overwrites `size` bytes at `data` with zeros in a way the compiler cannot
// drop (for buffers that are not ours to free, such as the environment).
void WipeBytes(void* data, size_t size);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SECRET_H_
