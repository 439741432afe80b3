// The one rule for profile passphrases: strong enough by an estimate of how
// many guesses an attacker needs (zxcvbn), not by character classes.
#ifndef CONFIDANT_CLIENT_PASSPHRASE_POLICY_H_
#define CONFIDANT_CLIENT_PASSPHRASE_POLICY_H_

#include <string_view>

#include "absl/status/status.h"

namespace confidant::client {

// The least estimated strength a new passphrase must have: log2 of the
// guesses zxcvbn expects an attacker to need. At the default Argon2id cost
// (~0.1 core-second per guess), 2^50 guesses keep 1,000 cores busy for
// centuries on average; 2^40 would fall in months.
inline constexpr double kMinPassphraseBits = 50;

// zxcvbn's estimate for `passphrase` in bits. Words typical of this
// application (confidant, vertrouwenspersoon, ...) count as known words.
// Stops at a NUL byte (an underestimate, never an overestimate).
double EstimatePassphraseBits(std::string_view passphrase);

// OK if `passphrase` may protect a profile; otherwise INVALID_ARGUMENT with a
// message for the user in English and Dutch ("passphrase too weak / ...").
absl::Status CheckPassphraseStrength(std::string_view passphrase);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_PASSPHRASE_POLICY_H_
