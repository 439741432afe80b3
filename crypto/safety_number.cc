#include "crypto/safety_number.h"

#include <fingerprint.h>
#include <signal_protocol.h>

#include <cstring>
#include <memory>

#include "crypto/errors.h"
#include "crypto/internal/signal_context.h"

namespace confidant::crypto {
namespace {

using internal::BufferPtr;
using internal::BufferView;
using internal::SignalContext;
using internal::SignalPtr;

constexpr size_t kDigits = 60;
constexpr size_t kGroupSize = 5;
constexpr size_t kScannableFingerprintSize = 32;

struct GeneratorFree {
  void operator()(fingerprint_generator* p) const {
    fingerprint_generator_free(p);
  }
};

absl::Status CheckId(std::string_view id) {
  if (id.empty() || id.find('\0') != std::string_view::npos) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "an account id must be non-empty text");
  }
  return absl::OkStatus();
}

absl::StatusOr<SignalPtr<scannable_fingerprint>> ParseScannable(
    std::string_view bytes, signal_context* context) {
  scannable_fingerprint* raw = nullptr;
  if (scannable_fingerprint_deserialize(
          &raw, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
          context) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "not a scannable safety number");
  }
  SignalPtr<scannable_fingerprint> parsed(raw);
  if (scannable_fingerprint_get_version(parsed.get()) != kScannableVersion) {
    return CryptoStatus(CryptoError::kBadVersion,
                        "scannable safety number of another version");
  }
  if (signal_buffer_len(scannable_fingerprint_get_local_fingerprint(
          parsed.get())) != kScannableFingerprintSize ||
      signal_buffer_len(scannable_fingerprint_get_remote_fingerprint(
          parsed.get())) != kScannableFingerprintSize) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "scannable safety number of the wrong size");
  }
  return parsed;
}

}  // namespace

std::string SafetyNumber::Grouped() const {
  std::string out;
  out.reserve(digits.size() + digits.size() / kGroupSize);
  for (size_t i = 0; i < digits.size(); i += kGroupSize) {
    if (i > 0) out.push_back(' ');
    out.append(digits, i, kGroupSize);
  }
  return out;
}

absl::StatusOr<SafetyNumber> ComputeSafetyNumber(
    std::string_view local_id, std::string_view local_identity_key,
    std::string_view remote_id, std::string_view remote_identity_key) {
  if (absl::Status s = CheckId(local_id); !s.ok()) return s;
  if (absl::Status s = CheckId(remote_id); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  signal_context* ctx = (*context)->get();
  absl::StatusOr<SignalPtr<ec_public_key>> local_key =
      internal::DecodePublicKey(local_identity_key, ctx);
  if (!local_key.ok()) return local_key.status();
  absl::StatusOr<SignalPtr<ec_public_key>> remote_key =
      internal::DecodePublicKey(remote_identity_key, ctx);
  if (!remote_key.ok()) return remote_key.status();

  fingerprint_generator* raw_generator = nullptr;
  if (fingerprint_generator_create(&raw_generator, kSafetyNumberIterations,
                                   kScannableVersion, ctx) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot create a fingerprint generator");
  }
  std::unique_ptr<fingerprint_generator, GeneratorFree> generator(
      raw_generator);
  const std::string local(local_id);
  const std::string remote(remote_id);
  fingerprint* raw_fingerprint = nullptr;
  if (fingerprint_generator_create_for(
          generator.get(), local.c_str(), local_key->get(), remote.c_str(),
          remote_key->get(), &raw_fingerprint) != SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot compute the safety number");
  }
  SignalPtr<fingerprint> result(raw_fingerprint);

  SafetyNumber out;
  const char* text =
      displayable_fingerprint_text(fingerprint_get_displayable(result.get()));
  if (text == nullptr || std::strlen(text) != kDigits) {
    return CryptoStatus(CryptoError::kInternal,
                        "unexpected safety number length");
  }
  out.digits = text;
  signal_buffer* raw_scannable = nullptr;
  if (scannable_fingerprint_serialize(
          &raw_scannable, fingerprint_get_scannable(result.get())) !=
      SG_SUCCESS) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot serialize the scannable safety number");
  }
  BufferPtr scannable(raw_scannable);
  out.scannable = std::string(BufferView(scannable.get()));
  return out;
}

absl::StatusOr<bool> MatchesScanned(const SafetyNumber& mine,
                                    std::string_view scanned) {
  absl::StatusOr<std::unique_ptr<SignalContext>> context =
      SignalContext::Create();
  if (!context.ok()) return context.status();
  absl::StatusOr<SignalPtr<scannable_fingerprint>> ours =
      ParseScannable(mine.scannable, (*context)->get());
  if (!ours.ok()) {
    return CryptoStatus(CryptoError::kInternal,
                        "our own scannable safety number is malformed");
  }
  absl::StatusOr<SignalPtr<scannable_fingerprint>> theirs =
      ParseScannable(scanned, (*context)->get());
  if (!theirs.ok()) return theirs.status();
  const int rc = scannable_fingerprint_compare(ours->get(), theirs->get());
  switch (rc) {
    case 1:
      return true;
    case 0:
      return false;
    case SG_ERR_FP_VERSION_MISMATCH:
      return CryptoStatus(CryptoError::kBadVersion,
                          "scannable safety number of another version");
    case SG_ERR_FP_IDENT_MISMATCH:
      // Only version 0 compares identifiers: another pair of accounts.
      return false;
    default:
      return CryptoStatus(CryptoError::kInternal,
                          "cannot compare safety numbers");
  }
}

}  // namespace confidant::crypto
