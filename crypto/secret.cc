#include "crypto/secret.h"

#include <openssl/crypto.h>

#include <utility>

namespace confidant::crypto {

void WipeString(std::string& bytes) {
  // Wipe the whole capacity: earlier contents may sit past size().
  bytes.resize(bytes.capacity());
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  bytes.clear();
}

SecretBytes::SecretBytes(size_t size) : bytes_(size, '\0') {}

SecretBytes SecretBytes::CopyOf(std::string_view bytes) {
  SecretBytes out;
  out.bytes_.assign(bytes.data(), bytes.size());
  return out;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : bytes_(std::move(other.bytes_)) {
  other.Wipe();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.Wipe();
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes SecretBytes::Clone() const { return CopyOf(bytes_); }

bool SecretBytes::Equals(const SecretBytes& other) const {
  return size() == other.size() &&
         CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), size()) == 0;
}

void SecretBytes::Wipe() { WipeString(bytes_); }

}  // namespace confidant::crypto
