#include "client/certificates.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"
#include "crypto/errors.h"

namespace confidant::client {
namespace {

// Lowercase hex digits only: how fingerprints are compared.
std::string NormalizeFingerprint(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      out.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

absl::StatusOr<crypto::RelayKeyRing> FetchChain(RelayTransport& transport) {
  absl::StatusOr<std::vector<crypto::RelayPublicKey>> chain =
      transport.GetRelayKeys();
  if (!chain.ok()) return chain.status();
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(*chain);
  if (!ring.ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the relay's keys do not check out: ", ring.status().message()));
  }
  return ring;
}

}  // namespace

namespace {

// The relay's hour when it issued `c`.
uint32_t IssueHour(const crypto::SenderCertificate& c) {
  return c.expiry_hour > crypto::kSenderCertificateLifetimeHours
             ? c.expiry_hour - crypto::kSenderCertificateLifetimeHours
             : 0;
}

void PutHour(uint32_t hour, std::string& out) {
  base::PutBigEndian(out, hour, 4);
}

}  // namespace

uint32_t HourOf(absl::Time now) {
  return static_cast<uint32_t>(
      std::max<int64_t>(0, absl::ToUnixSeconds(now) / 3600));
}

absl::StatusOr<std::string> PinRelayKeys(
    RelayTransport& transport, ProfileStore& profile,
    std::string_view expected_fingerprint) {
  absl::StatusOr<std::optional<std::string>> stored =
      profile.Get(Namespace::kRelayTrust, kRelayKeysKey);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    return absl::AlreadyExistsError("this profile already trusts relay keys");
  }
  absl::StatusOr<crypto::RelayKeyRing> ring = FetchChain(transport);
  if (!ring.ok()) return ring.status();
  const std::string fingerprint = ring->RootFingerprint();
  if (!expected_fingerprint.empty() &&
      NormalizeFingerprint(expected_fingerprint) !=
          NormalizeFingerprint(fingerprint)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the relay's key fingerprint is ", fingerprint, ", not ",
        std::string(expected_fingerprint),
        " as expected: this may not be your organisation's relay"));
  }
  if (absl::Status s =
          profile.Put(Namespace::kRelayTrust, kRelayKeysKey, ring->Serialize());
      !s.ok()) {
    return s;
  }
  return fingerprint;
}

absl::StatusOr<std::unique_ptr<CertificateManager>> CertificateManager::Open(
    RelayTransport& transport, ProfileStore& profile,
    std::string own_account_id, std::string own_identity_key) {
  absl::StatusOr<std::optional<std::string>> keys =
      profile.Get(Namespace::kRelayTrust, kRelayKeysKey);
  if (!keys.ok()) return keys.status();
  if (!keys->has_value()) {
    return absl::FailedPreconditionError(
        "this profile trusts no relay keys; it was made before sender "
        "certificates: remove it and enroll or join again");
  }
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::Parse(**keys);
  if (!ring.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the pinned relay keys are corrupt: ", ring.status().message()));
  }
  absl::StatusOr<std::optional<std::string>> stored =
      profile.Get(Namespace::kRelayTrust, kSenderCertificateKey);
  if (!stored.ok()) return stored.status();
  // The certificate, then our own hour when we fetched it.
  std::string certificate = stored->value_or("");
  uint32_t fetched = 0;
  if (certificate.size() == crypto::kSenderCertificateSize + 4) {
    fetched = static_cast<uint32_t>(base::GetBigEndian(
        std::string_view(certificate).substr(crypto::kSenderCertificateSize),
        4));
    certificate.resize(crypto::kSenderCertificateSize);
  }
  auto manager = std::unique_ptr<CertificateManager>(new CertificateManager(
      transport, profile, std::move(own_account_id),
      std::move(own_identity_key), *std::move(ring), std::move(certificate)));
  absl::MutexLock lock(&manager->mu_);
  manager->fetched_hour_ = fetched;
  return manager;
}

CertificateManager::CertificateManager(RelayTransport& transport,
                                       ProfileStore& profile,
                                       std::string own_account_id,
                                       std::string own_identity_key,
                                       crypto::RelayKeyRing ring,
                                       std::string certificate)
    : transport_(transport),
      profile_(profile),
      own_account_id_(std::move(own_account_id)),
      own_identity_key_(std::move(own_identity_key)),
      verifier_(std::move(ring)),
      certificate_(std::move(certificate)) {}

std::string CertificateManager::RootFingerprint() const {
  return verifier_.ring().RootFingerprint();
}

absl::StatusOr<std::string> CertificateManager::Current(absl::Time now) {
  const uint32_t hour = HourOf(now);
  std::string cached;
  uint32_t fetched = 0;
  {
    absl::MutexLock lock(&mu_);
    cached = certificate_;
    fetched = fetched_hour_;
  }
  std::optional<crypto::SenderCertificate> parsed;
  if (!cached.empty()) {
    absl::StatusOr<crypto::SenderCertificate> c =
        crypto::ParseSenderCertificate(cached);
    if (c.ok() && c->account_id == own_account_id_ &&
        c->identity_key == own_identity_key_) {
      parsed = *std::move(c);
    }
  }
  // The relay's hour now, as far as we can tell: the hour of issue plus the
  // hours our clock moved since we fetched it. So a client whose clock is
  // off by days neither renews on every message nor sends an expired one.
  uint64_t relay_hour = hour;
  if (parsed.has_value() && fetched != 0) {
    relay_hour =
        uint64_t{IssueHour(*parsed)} + (hour > fetched ? hour - fetched : 0);
  }
  if (parsed.has_value() &&
      uint64_t{parsed->expiry_hour} > relay_hour + kRenewBeforeHours) {
    return cached;
  }
  absl::StatusOr<std::string> renewed = Renew(hour);
  if (renewed.ok()) return renewed;
  if (parsed.has_value() && parsed->expiry_hour > relay_hour) return cached;
  return renewed.status();
}

absl::StatusOr<std::string> CertificateManager::Renew(uint32_t local_hour) {
  absl::StatusOr<std::string> fresh = transport_.GetSenderCertificate();
  if (!fresh.ok()) return fresh.status();
  absl::StatusOr<crypto::SenderCertificate> parsed =
      crypto::ParseSenderCertificate(*fresh);
  if (!parsed.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the relay sent a malformed certificate: ", parsed.status().message()));
  }
  if (parsed->account_id != own_account_id_ ||
      parsed->identity_key != own_identity_key_) {
    return absl::DataLossError(
        "the relay certified another account or identity key than ours");
  }
  // Judged at the relay's hour of issue, which our own clock need not match.
  const uint32_t issued = IssueHour(*parsed);
  absl::Status verified = verifier_.Verify(*parsed, issued);
  if (crypto::GetCryptoError(verified) ==
      crypto::CryptoError::kUnknownRelayKey) {
    if (absl::Status s = RefreshRelayKeys(); !s.ok()) return s;
    verified = verifier_.Verify(*parsed, issued);
  }
  if (!verified.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the relay's certificate does not check out: ", verified.message()));
  }
  std::string stored = *fresh;
  PutHour(local_hour, stored);
  if (absl::Status s =
          profile_.Put(Namespace::kRelayTrust, kSenderCertificateKey, stored);
      !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&mu_);
  certificate_ = *fresh;
  fetched_hour_ = local_hour;
  return fresh;
}

absl::Status CertificateManager::RefreshRelayKeys() {
  absl::StatusOr<std::vector<crypto::RelayPublicKey>> chain =
      transport_.GetRelayKeys();
  if (!chain.ok()) return chain.status();
  if (absl::Status s = verifier_.Extend(*chain); !s.ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the relay presents keys that contradict the pinned ones: ",
        s.message()));
  }
  return profile_.Put(Namespace::kRelayTrust, kRelayKeysKey,
                      verifier_.ring().Serialize());
}

}  // namespace confidant::client
