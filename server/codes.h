// Access codes, invites and account secrets: how they are made, typed and
// hashed. Codes are high-entropy random values, so one round of SHA-256 with a
// domain label is a sufficient hash at rest (no password stretching needed).
#ifndef CONFIDANT_SERVER_CODES_H_
#define CONFIDANT_SERVER_CODES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "base/random.h"

namespace confidant::server {

// Hash domains keep an access code from ever matching as an invite and back.
inline constexpr std::string_view kAccessCodeDomain =
    "confidant access code v1";
inline constexpr std::string_view kInviteDomain = "confidant invite v1";
inline constexpr std::string_view kSecretDomain = "confidant account secret v1";

// Groups of 5 characters (Crockford base32, 25 bits a group).
inline constexpr int kAccessCodeGroups = 4;  // 100 bits
inline constexpr int kInviteGroups = 5;      // 125 bits
inline constexpr size_t kMaxCodeInputSize = 64;

// A new code of `groups` groups joined by '-', e.g. "7KQ2M-X9D4R-...".
std::string NewCode(base::Random& random, int groups);

// Canonical form of a typed code: dashes and white space dropped, upper case,
// O read as 0 and I/L as 1. INVALID_ARGUMENT for other characters, an empty
// code, or input longer than kMaxCodeInputSize bytes.
absl::StatusOr<std::string> NormaliseCode(std::string_view typed);

// SHA-256 over the domain label and `value` (kHashSize bytes).
std::string DomainHash(std::string_view domain, std::string_view value);

// Equality in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_CODES_H_
