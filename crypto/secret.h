// Key material and other secrets: bytes that are wiped when released.
#ifndef CONFIDANT_CRYPTO_SECRET_H_
#define CONFIDANT_CRYPTO_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace confidant::crypto {

// Owns a byte buffer that is overwritten with zeros (in a way the compiler
// cannot drop) when destroyed, moved from, or reassigned. Move-only; copy
// explicitly with Clone(). Not thread-safe.
class SecretBytes {
 public:
  SecretBytes() = default;
  // `size` zero bytes.
  explicit SecretBytes(size_t size);
  // A copy of `bytes`; the caller wipes its own copy if it must.
  static SecretBytes CopyOf(std::string_view bytes);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  SecretBytes Clone() const;

  uint8_t* data() { return reinterpret_cast<uint8_t*>(bytes_.data()); }
  const uint8_t* data() const {
    return reinterpret_cast<const uint8_t*>(bytes_.data());
  }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  // A view that must not outlive this object.
  std::string_view view() const { return bytes_; }

  // Constant-time equality.
  bool Equals(const SecretBytes& other) const;

 private:
  void Wipe();
  std::string bytes_;
};

// Overwrites `bytes` with zeros in a way the compiler cannot drop.
void WipeString(std::string& bytes);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SECRET_H_
