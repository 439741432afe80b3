// Fuzzes Unseal (crypto/sealed.h) with a fixed recipient (the one of
// tests/crypto/testdata/sealed_vectors.txt). Each input is used twice:
//  1. as a whole envelope: Unseal must fail cleanly with a CryptoError;
//  2. as the inner plaintext of an authentic envelope (zero-filled to a
//     bucket and sealed by tests/fuzz/sealed_reference.h), which reaches the
//     parser behind the AES-GCM check: Unseal must either return content
//     that re-seals to the same bytes, or fail with kBadPadding or
//     kInvalidMessage.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "crypto/errors.h"
#include "crypto/padding.h"
#include "crypto/sealed.h"
#include "crypto/secret.h"
#include "tests/fuzz/sealed_reference.h"

namespace {

using ::confidant::crypto::CryptoError;
using ::confidant::crypto::EnvelopeBucket;
using ::confidant::crypto::GetCryptoError;
using ::confidant::crypto::kMaxEnvelopeSize;
using ::confidant::crypto::SealedContent;
using ::confidant::crypto::SealWithEphemeral;
using ::confidant::crypto::SecretBytes;
using ::confidant::crypto::Unseal;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "unseal fuzzer: %s\n", what);
    std::abort();
  }
}

struct Recipient {
  SecretBytes private_key = SecretBytes::CopyOf(absl::HexStringToBytes(
      "b8689190a48e41ce541e68601d29aed39ad9fd8c4852c73e057d0ce962016c51"));
  std::string identity_key = absl::HexStringToBytes(
      "0599b3a979a3db39a8102a00f1576919bfc6e8e7119dff59a66f08069b9254672d");
  std::string account_id =
      absl::HexStringToBytes("f743ae3646ae133687a628d49bf7b975");
  std::string ephemeral_private = std::string(32, '\x42');
};

constexpr size_t kHeaderAndTag = 1 + 32 + 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Recipient* const recipient = new Recipient();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<SealedContent> opened =
      Unseal(input, recipient->private_key, recipient->identity_key,
             recipient->account_id);
  if (!opened.ok()) {
    Check(GetCryptoError(opened.status()) != CryptoError::kNone,
          "raw envelope failed without a CryptoError");
  }

  if (size + kHeaderAndTag > kMaxEnvelopeSize) return 0;
  std::string inner(input);
  inner.resize(EnvelopeBucket(size + kHeaderAndTag) - kHeaderAndTag, '\0');
  const std::string envelope = confidant::testing::ReferenceSealInner(
      inner, recipient->ephemeral_private, recipient->identity_key,
      recipient->account_id);
  Check(!envelope.empty(), "reference sealer failed");
  opened = Unseal(envelope, recipient->private_key, recipient->identity_key,
                  recipient->account_id);
  if (opened.ok()) {
    absl::StatusOr<std::string> resealed = SealWithEphemeral(
        *opened, recipient->identity_key, recipient->account_id,
        SecretBytes::CopyOf(recipient->ephemeral_private));
    Check(resealed.ok() && *resealed == envelope,
          "accepted an envelope that does not re-seal to itself");
  } else {
    const CryptoError error = GetCryptoError(opened.status());
    Check(error == CryptoError::kBadPadding ||
              error == CryptoError::kInvalidMessage,
          "authentic envelope failed with an unexpected kind");
  }
  return 0;
}
