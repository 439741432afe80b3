// The client's side of sender certificates (crypto/sender_certificate.h):
// the relay keys it pinned when it joined or enrolled, and its own
// certificate, renewed ahead of expiry.
//
// Storage in the ProfileStore, Namespace::kRelayTrust:
//   "relay_keys"   RelayKeyRing::Serialize(): the chain from the pinned root
//   "certificate"  the wire form of our current sender certificate, then our
//                  own clock's hour when we fetched it (big-endian u32)
#ifndef CONFIDANT_CLIENT_CERTIFICATES_H_
#define CONFIDANT_CLIENT_CERTIFICATES_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "crypto/sender_certificate.h"

namespace confidant::client {

inline constexpr char kRelayKeysKey[] = "relay_keys";
inline constexpr char kSenderCertificateKey[] = "certificate";

// A certificate is renewed once fewer than this many hours of it remain
// (half its lifetime), so one renewal a few days ahead covers clients that
// are offline for a while.
inline constexpr uint32_t kRenewBeforeHours =
    crypto::kSenderCertificateLifetimeHours / 2;

// The relay's hour for `now`.
uint32_t HourOf(absl::Time now);

// Fetches the relay's key chain, checks it and stores it in `profile` as the
// keys this client trusts from now on. With a non-empty
// `expected_fingerprint` (as the organisation published it; spaces and case
// do not matter) the chain's root must have that fingerprint, else
// PERMISSION_DENIED naming both fingerprints and nothing is stored. Call it
// before registering, so an impostor relay never sees the access code or
// invite. Returns the root fingerprint. ALREADY_EXISTS if the profile already
// trusts relay keys.
absl::StatusOr<std::string> PinRelayKeys(RelayTransport& transport,
                                         ProfileStore& profile,
                                         std::string_view expected_fingerprint);

// Our certificate and the pinned relay keys of one registered account.
// Thread-safe; no lock is held across a network call.
class CertificateManager {
 public:
  // Loads the pinned keys and the cached certificate. FAILED_PRECONDITION
  // if the profile pinned no relay keys; DATA_LOSS if they are malformed.
  // `own_account_id` and `own_identity_key` are ours: a certificate the
  // relay hands out for anything else is refused. Everything passed must
  // outlive the manager.
  static absl::StatusOr<std::unique_ptr<CertificateManager>> Open(
      RelayTransport& transport, ProfileStore& profile,
      std::string own_account_id, std::string own_identity_key);

  CertificateManager(const CertificateManager&) = delete;
  CertificateManager& operator=(const CertificateManager&) = delete;

  // Our certificate (wire form), renewed from the relay when fewer than
  // kRenewBeforeHours remain at `now` (counted from the relay's hour of
  // issue plus the hours our clock moved since, so a skewed clock does not
  // matter). If renewal fails while the cached one
  // is still valid, the cached one is returned; otherwise the relay's error,
  // or DATA_LOSS if the relay's certificate is not for us or does not verify
  // against the pinned keys.
  absl::StatusOr<std::string> Current(absl::Time now);

  // Fetches the relay's chain again and trusts the keys endorsed along it
  // (after a rotation). PERMISSION_DENIED if the relay presents a chain that
  // contradicts the pinned one (another root, or a fork), with nothing
  // changed.
  absl::Status RefreshRelayKeys();

  // What MessageCrypto checks certificates with.
  crypto::SenderCertificateVerifier& verifier() { return verifier_; }
  // The fingerprint of the pinned root key.
  std::string RootFingerprint() const;

 private:
  CertificateManager(RelayTransport& transport, ProfileStore& profile,
                     std::string own_account_id, std::string own_identity_key,
                     crypto::RelayKeyRing ring, std::string certificate);

  // Fetches a certificate from the relay, checks it and stores it with
  // `local_hour`, our clock's hour of fetching.
  absl::StatusOr<std::string> Renew(uint32_t local_hour);

  RelayTransport& transport_;
  ProfileStore& profile_;
  const std::string own_account_id_;
  const std::string own_identity_key_;
  crypto::SenderCertificateVerifier verifier_;
  mutable absl::Mutex mu_;
  std::string certificate_ ABSL_GUARDED_BY(mu_);    // wire form; may be empty
  uint32_t fetched_hour_ ABSL_GUARDED_BY(mu_) = 0;  // 0: not known
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_CERTIFICATES_H_
