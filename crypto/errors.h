// Errors of the crypto layer. Every failure is an absl::Status whose payload
// names a CryptoError, so callers (and the UI) can tell a tampered envelope
// from a replay or a changed safety number without parsing messages.
#ifndef CONFIDANT_CRYPTO_ERRORS_H_
#define CONFIDANT_CRYPTO_ERRORS_H_

#include <string_view>

#include "absl/status/status.h"

namespace confidant::crypto {

enum class CryptoError {
  kNone = 0,           // not a crypto error (or OK)
  kTruncated,          // input shorter than its format allows
  kTooLarge,           // input or output over a size limit
  kBadVersion,         // unknown format version
  kWrongRecipient,     // sealed for another recipient (or tampered header)
  kTampered,           // authentication failed: modified or corrupt bytes
  kBadPadding,         // malformed padding
  kDuplicate,          // a message that was already decrypted (replay)
  kUntrustedIdentity,  // the peer's identity key changed: safety number changed
  kSenderMismatch,     // sealed sender differs from the session's peer
  kInvalidKey,         // malformed key, or a bad signature on a pre-key
  kBadSignature,       // a signature that does not verify
  kNoSession,          // no session with that peer yet
  kInvalidMessage,     // malformed message of another kind
  kCertificateExpired,  // a sender certificate out of its validity
  kUnknownRelayKey,     // a sender certificate by a relay key not (yet) known
  kInternal,            // a failure of the library or the system
};

// A status carrying `error`; the code is the closest absl code (for example
// INVALID_ARGUMENT for bad input,
// FAILED_PRECONDITION for kNoSession and kUntrustedIdentity, ALREADY_EXISTS
// for kDuplicate, INTERNAL for kInternal).
absl::Status CryptoStatus(CryptoError error, std::string_view message);

// The CryptoError carried by `status`, or kNone.
CryptoError GetCryptoError(const absl::Status& status);

// A stable lowercase name ("tampered", "untrusted_identity", ...).
std::string_view CryptoErrorName(CryptoError error);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_ERRORS_H_
