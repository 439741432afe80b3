#include "crypto/errors.h"

#include <string>

#include "absl/strings/cord.h"

namespace confidant::crypto {
namespace {

constexpr char kPayloadUrl[] = "type.confidant.nl/crypto-error";

absl::StatusCode CodeFor(CryptoError error) {
  switch (error) {
    case CryptoError::kNone:
      return absl::StatusCode::kOk;
    case CryptoError::kNoSession:
    case CryptoError::kUntrustedIdentity:
      return absl::StatusCode::kFailedPrecondition;
    case CryptoError::kDuplicate:
      return absl::StatusCode::kAlreadyExists;
    case CryptoError::kTooLarge:
      return absl::StatusCode::kResourceExhausted;
    case CryptoError::kInternal:
      return absl::StatusCode::kInternal;
    default:
      return absl::StatusCode::kInvalidArgument;
  }
}

}  // namespace

std::string_view CryptoErrorName(CryptoError error) {
  switch (error) {
    case CryptoError::kNone:
      return "none";
    case CryptoError::kTruncated:
      return "truncated";
    case CryptoError::kTooLarge:
      return "too_large";
    case CryptoError::kBadVersion:
      return "bad_version";
    case CryptoError::kWrongRecipient:
      return "wrong_recipient";
    case CryptoError::kTampered:
      return "tampered";
    case CryptoError::kBadPadding:
      return "bad_padding";
    case CryptoError::kDuplicate:
      return "duplicate";
    case CryptoError::kUntrustedIdentity:
      return "untrusted_identity";
    case CryptoError::kSenderMismatch:
      return "sender_mismatch";
    case CryptoError::kInvalidKey:
      return "invalid_key";
    case CryptoError::kBadSignature:
      return "bad_signature";
    case CryptoError::kNoSession:
      return "no_session";
    case CryptoError::kInvalidMessage:
      return "invalid_message";
    case CryptoError::kCertificateExpired:
      return "certificate_expired";
    case CryptoError::kUnknownRelayKey:
      return "unknown_relay_key";
    case CryptoError::kInternal:
      return "internal";
  }
  return "unknown";
}

absl::Status CryptoStatus(CryptoError error, std::string_view message) {
  if (error == CryptoError::kNone) return absl::OkStatus();
  absl::Status status(CodeFor(error),
                      absl::string_view(message.data(), message.size()));
  const std::string_view name = CryptoErrorName(error);
  status.SetPayload(kPayloadUrl,
                    absl::Cord(absl::string_view(name.data(), name.size())));
  return status;
}

CryptoError GetCryptoError(const absl::Status& status) {
  if (status.ok()) return CryptoError::kNone;
  absl::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return CryptoError::kNone;
  const std::string name(*payload);
  for (int e = 1; e <= static_cast<int>(CryptoError::kInternal); ++e) {
    if (CryptoErrorName(static_cast<CryptoError>(e)) == name) {
      return static_cast<CryptoError>(e);
    }
  }
  return CryptoError::kNone;
}

}  // namespace confidant::crypto
