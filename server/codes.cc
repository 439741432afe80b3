#include "server/codes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "base/openssl.h"

namespace confidant::server {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

std::string NewCode(base::Random& random, int groups) {
  std::string out;
  const std::string bytes = random.Bytes(static_cast<size_t>(groups) * 5);
  for (int g = 0; g < groups; ++g) {
    if (g > 0) out.push_back('-');
    for (int i = 0; i < 5; ++i) {
      out.push_back(
          kAlphabet[static_cast<unsigned char>(bytes[g * 5 + i]) % 32]);
    }
  }
  return out;
}

absl::StatusOr<std::string> NormaliseCode(std::string_view typed) {
  if (typed.size() > kMaxCodeInputSize) {
    return absl::InvalidArgumentError("code is too long");
  }
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos) {
      return absl::InvalidArgumentError(
          "code contains a character that is not part of any code");
    }
    out.push_back(c);
  }
  if (out.empty()) return absl::InvalidArgumentError("code is empty");
  return out;
}

std::string DomainHash(std::string_view domain, std::string_view value) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  const unsigned char zero = 0;
  const bool ok =
      ctx != nullptr &&
      EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1 &&
      EVP_DigestUpdate(ctx.get(), domain.data(), domain.size()) == 1 &&
      EVP_DigestUpdate(ctx.get(), &zero, 1) == 1 &&
      EVP_DigestUpdate(ctx.get(), value.data(), value.size()) == 1 &&
      EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1;
  if (!ok) std::abort();  // SHA-256 cannot fail short of memory exhaustion
  return std::string(reinterpret_cast<char*>(digest), len);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace confidant::server
