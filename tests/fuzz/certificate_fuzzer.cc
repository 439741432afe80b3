// Fuzzes the parsers of crypto/sender_certificate.h: ParseSenderCertificate
// and RelayKeyRing::Parse must never crash, must fail with a CryptoError,
// and what they accept must encode back to the same bytes. An accepted
// certificate is also checked against a fixed ring (key 1 of
// tests/crypto/testdata/sender_certificate_vectors.txt): only the vectors'
// own certificate verifies, anything else fails cleanly.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "crypto/errors.h"
#include "crypto/sender_certificate.h"

namespace {

using ::confidant::crypto::CryptoError;
using ::confidant::crypto::GetCryptoError;
using ::confidant::crypto::ParseSenderCertificate;
using ::confidant::crypto::RelayKeyRing;
using ::confidant::crypto::RelayPublicKey;
using ::confidant::crypto::SenderCertificate;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "certificate fuzzer: %s\n", what);
    std::abort();
  }
}

const RelayKeyRing& Ring() {
  static const RelayKeyRing* const ring = [] {
    RelayPublicKey key1{1,
                        absl::HexStringToBytes("4892a7cf6b2f731ee04e29c2be5809"
                                               "66c147f94950856d2e7a1b779e74c9"
                                               "7704"),
                        490000, ""};
    absl::StatusOr<RelayKeyRing> r = RelayKeyRing::FromChain({key1});
    Check(r.ok(), "the fixed ring does not build");
    return new RelayKeyRing(*r);
  }();
  return *ring;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<SenderCertificate> certificate = ParseSenderCertificate(input);
  if (certificate.ok()) {
    Check(certificate->Serialize() == input,
          "an accepted certificate does not encode to its bytes");
    const absl::Status verified =
        Ring().Verify(*certificate, certificate->expiry_hour - 1);
    Check(verified.ok() || GetCryptoError(verified) != CryptoError::kNone,
          "verification failed without a CryptoError");
  } else {
    Check(GetCryptoError(certificate.status()) != CryptoError::kNone,
          "a certificate failed to parse without a CryptoError");
  }

  absl::StatusOr<RelayKeyRing> ring = RelayKeyRing::Parse(input);
  if (ring.ok()) {
    Check(ring->Serialize() == input,
          "an accepted key ring does not encode to its bytes");
  } else {
    Check(GetCryptoError(ring.status()) != CryptoError::kNone,
          "a key ring failed to parse without a CryptoError");
  }
  return 0;
}
