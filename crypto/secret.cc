#include "crypto/secret.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include "crypto/platform_memory.h"

namespace confidant::crypto {

void WipeString(std::string& bytes) {
  // Wipe the whole capacity: earlier contents may sit past size().
  bytes.resize(bytes.capacity());
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  bytes.clear();
}

void WipeBytes(void* data, size_t size) { WipeMemory(data, size); }

SecretBytes::SecretBytes(size_t size) {
  if (size == 0) return;
  data_ = static_cast<uint8_t*>(AllocateSecretMemory(size));
  size_ = size;
}

SecretBytes SecretBytes::CopyOf(std::string_view bytes) {
  SecretBytes out(bytes.size());
  if (!bytes.empty()) std::memcpy(out.data_, bytes.data(), bytes.size());
  return out;
}

SecretBytes SecretBytes::Random(size_t size) {
  SecretBytes out(size);
  if (size > 0 && RAND_bytes(out.data_, static_cast<int>(size)) != 1) {
    // A predictable key would be worse than stopping.
    abort();
  }
  return out;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes SecretBytes::Clone() const { return CopyOf(view()); }

bool SecretBytes::Equals(const SecretBytes& other) const {
  return size() == other.size() &&
         CRYPTO_memcmp(data(), other.data(), size()) == 0;
}

void SecretBytes::Wipe() {
  FreeSecretMemory(data_, size_);  // wipes before it releases
  data_ = nullptr;
  size_ = 0;
}

}  // namespace confidant::crypto
