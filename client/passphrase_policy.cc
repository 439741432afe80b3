#include "client/passphrase_policy.h"

#include <zxcvbn.h>

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "crypto/secret.h"

namespace confidant::client {

double EstimatePassphraseBits(std::string_view passphrase) {
  // A NUL-terminated copy in secret memory; zxcvbn reads up to the NUL.
  crypto::SecretBytes copy(passphrase.size() + 1);
  if (!passphrase.empty()) {
    std::memcpy(copy.data(), passphrase.data(), passphrase.size());
  }
  static const char* const kApplicationWords[] = {
      "confidant",  "vertrouwenspersoon",
      "vertrouwen", "wachtwoordzin",
      "wachtwoord", "passphrase",
      "password",   "melding",
      "klacht",     nullptr};
  const char* const* words = kApplicationWords;
  return ZxcvbnMatch(reinterpret_cast<const char*>(copy.data()),
                     const_cast<const char**>(words), nullptr);
}

absl::Status CheckPassphraseStrength(std::string_view passphrase) {
  if (passphrase.empty()) {
    return absl::InvalidArgumentError(
        "the passphrase must not be empty / de wachtwoordzin mag niet leeg "
        "zijn");
  }
  const double bits = EstimatePassphraseBits(passphrase);
  if (bits >= kMinPassphraseBits) return absl::OkStatus();
  const int shown = static_cast<int>(std::floor(bits));
  const int needed = static_cast<int>(kMinPassphraseBits);
  return absl::InvalidArgumentError(absl::StrCat(
      "passphrase too weak: estimated ", shown, " bits, at least ", needed,
      " needed; use four or more unrelated words or a longer phrase / "
      "wachtwoordzin te zwak: geschat ",
      shown, " bits, minstens ", needed,
      " nodig; gebruik vier of meer losse woorden of een langere zin"));
}

}  // namespace confidant::client
