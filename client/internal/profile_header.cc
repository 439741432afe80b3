#include "client/internal/profile_header.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"
#include "client/internal/profile_crypto.h"
#include "client/profile_store.h"

namespace confidant::client::internal {
namespace {

using crypto::SecretBytes;

// magic | version | t_cost | m_cost_kib | parallelism (u32 LE) | salt |
// generation (u64 LE) | nonce | GCM(Argon2id key, master key, ad = every
// byte before the nonce) | SHA-256 of every byte before it.
constexpr std::string_view kMagic = "CFPROFIL";
constexpr size_t kAdSize =
    kMagic.size() + 1 + size_t{3} * 4 + crypto::kPassphraseSaltSize + 8;
constexpr size_t kWrappedSize = kNonceSize + kKeySize + kTagSize;
constexpr size_t kChecksumOffset = kAdSize + kWrappedSize;
constexpr size_t kHeaderSize = kChecksumOffset + SHA256_DIGEST_LENGTH;

using base::GetLittleEndian;
using base::PutLittleEndian;

}  // namespace

std::string HeaderPath(const std::string& dir) {
  return absl::StrCat(dir, "/", kProfileHeaderFile);
}

std::string StagedHeaderPath(const std::string& dir) {
  return absl::StrCat(HeaderPath(dir), ".creating");
}

std::string DatabaseRoot(const std::string& dir) {
  return absl::StrCat(dir, "/", kProfileDatabaseDir);
}
std::string DatabasePath(const std::string& dir, uint64_t generation) {
  return absl::StrCat(DatabaseRoot(dir), "/", generation);
}

bool PathExists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

absl::Status ErrnoError(std::string_view what, const std::string& path) {
  const int error = errno;
  return absl::InternalError(
      absl::StrCat(std::string(what), " ", path, ": ", std::strerror(error)));
}

absl::StatusOr<std::string> ReadHeaderFile(const std::string& dir) {
  const std::string path = HeaderPath(dir);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("not a profile: ", dir, " has no ", kProfileHeaderFile));
    }
    return ErrnoError("cannot open", path);
  }
  std::string out;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status status = ErrnoError("cannot read", path);
      ::close(fd);
      return status;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > kHeaderSize) break;
  }
  ::close(fd);
  return out;
}

absl::StatusOr<ProfileHeader> ParseProfileHeader(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 1 ||
      bytes.substr(0, kMagic.size()) != kMagic) {
    return absl::DataLossError(
        absl::StrCat("profile header ", kProfileHeaderFile,
                     " is corrupt: not a Confidant profile header"));
  }
  const uint8_t version = static_cast<uint8_t>(bytes[kMagic.size()]);
  if (version != kProfileFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "profile header has unsupported format version ", version,
        " (this build reads version ", kProfileFormatVersion, ")"));
  }
  if (bytes.size() < kHeaderSize) {
    return absl::DataLossError(absl::StrCat(
        "profile header ", kProfileHeaderFile, " is truncated: ", bytes.size(),
        " of ", kHeaderSize, " bytes"));
  }
  if (bytes.size() > kHeaderSize) {
    return absl::DataLossError(absl::StrCat(
        "profile header ", kProfileHeaderFile, " is corrupt: trailing bytes"));
  }
  const std::string checksum = Sha256(bytes.substr(0, kChecksumOffset));
  if (CRYPTO_memcmp(checksum.data(), bytes.data() + kChecksumOffset,
                    checksum.size()) != 0) {
    return absl::DataLossError(absl::StrCat("profile header ",
                                            kProfileHeaderFile,
                                            " is corrupt: checksum mismatch"));
  }
  ProfileHeader header;
  size_t at = kMagic.size() + 1;
  header.params.t_cost =
      static_cast<uint32_t>(GetLittleEndian(bytes.substr(at), 4));
  header.params.m_cost_kib =
      static_cast<uint32_t>(GetLittleEndian(bytes.substr(at + 4), 4));
  header.params.parallelism =
      static_cast<uint32_t>(GetLittleEndian(bytes.substr(at + 8), 4));
  at += 12;
  header.salt = std::string(bytes.substr(at, crypto::kPassphraseSaltSize));
  at += crypto::kPassphraseSaltSize;
  header.generation = GetLittleEndian(bytes.substr(at), 8);
  header.ad = std::string(bytes.substr(0, kAdSize));
  header.wrapped = std::string(bytes.substr(kAdSize, kWrappedSize));
  if (header.generation == 0) {
    return absl::DataLossError(absl::StrCat(
        "profile header ", kProfileHeaderFile, " is corrupt: generation 0"));
  }
  return header;
}

absl::Status CheckArgon2Params(const crypto::Argon2Params& params) {
  if (params.t_cost < 1 || params.t_cost > crypto::kMaxArgon2TCost ||
      params.m_cost_kib < crypto::kMinArgon2MemoryKib ||
      params.m_cost_kib > crypto::kMaxArgon2MemoryKib ||
      params.parallelism < 1 ||
      params.parallelism > crypto::kMaxArgon2Parallelism) {
    return absl::InvalidArgumentError(
        "Argon2id parameters outside the bounds of crypto/kdf.h");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> BuildProfileHeader(
    std::string_view passphrase, const crypto::Argon2Params& params,
    uint64_t generation, const SecretBytes& master_key) {
  std::string out;
  out.reserve(kHeaderSize);
  out.append(kMagic);
  out.push_back(static_cast<char>(kProfileFormatVersion));
  PutLittleEndian(out, params.t_cost, 4);
  PutLittleEndian(out, params.m_cost_kib, 4);
  PutLittleEndian(out, params.parallelism, 4);
  const std::string salt = crypto::NewSalt();
  out.append(salt);
  PutLittleEndian(out, generation, 8);
  absl::StatusOr<SecretBytes> wrapping_key =
      crypto::DerivePassphraseKey(passphrase, salt, params, kKeySize);
  if (!wrapping_key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot derive the passphrase key: ", wrapping_key.status().message()));
  }
  absl::StatusOr<std::string> wrapped =
      GcmSeal(*wrapping_key, out, master_key.view());
  if (!wrapped.ok()) return wrapped.status();
  out.append(*wrapped);
  out.append(Sha256(out));
  return out;
}

absl::StatusOr<SecretBytes> UnwrapMasterKey(const ProfileHeader& header,
                                            std::string_view passphrase) {
  if (passphrase.empty()) {
    return absl::PermissionDeniedError("wrong passphrase (empty)");
  }
  if (absl::Status status = CheckArgon2Params(header.params); !status.ok()) {
    return absl::DataLossError(
        absl::StrCat("profile header is corrupt: ", status.message()));
  }
  absl::StatusOr<SecretBytes> wrapping_key = crypto::DerivePassphraseKey(
      passphrase, header.salt, header.params, kKeySize);
  if (!wrapping_key.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot derive the passphrase key: ", wrapping_key.status().message()));
  }
  SecretBytes master_key;
  if (!GcmOpen(*wrapping_key, header.ad, header.wrapped, master_key) ||
      master_key.size() != kKeySize) {
    return absl::PermissionDeniedError("wrong passphrase");
  }
  return master_key;
}

}  // namespace confidant::client::internal
