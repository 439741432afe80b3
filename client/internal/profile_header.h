// The profile header file and the files of a profile directory
// (docs/profile.md, "Header"). Internal to client/profile_*.
#ifndef CONFIDANT_CLIENT_INTERNAL_PROFILE_HEADER_H_
#define CONFIDANT_CLIENT_INTERNAL_PROFILE_HEADER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/files.h"
#include "crypto/kdf.h"
#include "crypto/secret.h"

namespace confidant::client::internal {

inline constexpr uint8_t kProfileFormatVersion = 2;

// A parsed header: everything but the master key is in clear.
struct ProfileHeader {
  crypto::Argon2Params params;
  std::string salt;
  uint64_t generation = 0;  // names the database directory
  std::string wrapped;      // nonce | GCM(master key) | tag
  std::string ad;           // the bytes the wrap authenticates
};

// The header in `bytes`. DATA_LOSS for a corrupt or truncated header;
// FAILED_PRECONDITION for another format version.
absl::StatusOr<ProfileHeader> ParseProfileHeader(std::string_view bytes);

// A header wrapping `master_key` under `passphrase` with a fresh salt.
// INVALID_ARGUMENT if the key cannot be derived. Blocks for Argon2id.
absl::StatusOr<std::string> BuildProfileHeader(
    std::string_view passphrase, const crypto::Argon2Params& params,
    uint64_t generation, const crypto::SecretBytes& master_key);

// The master key of `header`. PERMISSION_DENIED("wrong passphrase") if
// `passphrase` does not open it. Blocks for Argon2id.
absl::StatusOr<crypto::SecretBytes> UnwrapMasterKey(
    const ProfileHeader& header, std::string_view passphrase);

// INVALID_ARGUMENT unless `params` lies within crypto/kdf.h's bounds.
absl::Status CheckArgon2Params(const crypto::Argon2Params& params);

// Paths inside a profile directory.
std::string HeaderPath(const std::string& dir);
// The complete header of a profile that Create() is still building; renamed
// to HeaderPath() once the database is durable (docs/profile.md, "Creation").
std::string StagedHeaderPath(const std::string& dir);
std::string DatabaseRoot(const std::string& dir);
std::string DatabasePath(const std::string& dir, uint64_t generation);

// The bytes of `dir`'s header file (at most one byte more than a header).
// NOT_FOUND if there is none.
absl::StatusOr<std::string> ReadHeaderFile(const std::string& dir);

// Durable writes: base::WriteFileAtomically and base::SyncDirectory.
using base::SyncDirectory;

// Whether `path` exists (a dangling symbolic link counts).
bool PathExists(const std::string& path);

// INTERNAL("`what` `path`: strerror(errno)").
absl::Status ErrnoError(std::string_view what, const std::string& path);

}  // namespace confidant::client::internal

#endif  // CONFIDANT_CLIENT_INTERNAL_PROFILE_HEADER_H_
