// A RelayTransport that passes every call on to another: the base of the
// tests' decorators, which override only the calls they count or change.
#ifndef CONFIDANT_CLIENT_TESTING_FORWARDING_TRANSPORT_H_
#define CONFIDANT_CLIENT_TESTING_FORWARDING_TRANSPORT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "client/transport.h"

namespace confidant::client {

class ForwardingTransport : public RelayTransport {
 public:
  explicit ForwardingTransport(std::unique_ptr<RelayTransport> inner)
      : inner_(std::move(inner)) {}

  void SetCredentials(std::string account_id,
                      crypto::SecretBytes secret) override {
    inner_->SetCredentials(std::move(account_id), std::move(secret));
  }
  absl::StatusOr<Registration> RegisterEmployee(
      std::string_view access_code) override {
    return inner_->RegisterEmployee(access_code);
  }
  absl::StatusOr<Registration> RegisterTrustPerson(
      std::string_view invite_code, const TrustPersonProfile& p) override {
    return inner_->RegisterTrustPerson(invite_code, p);
  }
  absl::StatusOr<uint32_t> UploadKeys(const KeyUpload& upload) override {
    return inner_->UploadKeys(upload);
  }
  absl::StatusOr<PeerBundle> GetPreKeyBundle(
      std::string_view account_id) override {
    return inner_->GetPreKeyBundle(account_id);
  }
  absl::StatusOr<uint32_t> GetPreKeyCount() override {
    return inner_->GetPreKeyCount();
  }
  absl::StatusOr<TrustPersonList> ListTrustPersons(
      std::string_view organisation_id) override {
    return inner_->ListTrustPersons(organisation_id);
  }
  absl::StatusOr<std::vector<crypto::RelayPublicKey>> GetRelayKeys() override {
    return inner_->GetRelayKeys();
  }
  absl::StatusOr<std::string> GetSenderCertificate() override {
    return inner_->GetSenderCertificate();
  }
  absl::StatusOr<uint64_t> Send(std::string_view recipient_account_id,
                                std::string_view content) override {
    return inner_->Send(recipient_account_id, content);
  }
  absl::StatusOr<uint32_t> Ack(absl::Span<const uint64_t> seqs) override {
    return inner_->Ack(seqs);
  }
  absl::StatusOr<std::unique_ptr<ReceiveStream>> OpenReceive() override {
    return inner_->OpenReceive();
  }

 protected:
  RelayTransport& inner() { return *inner_; }

 private:
  std::unique_ptr<RelayTransport> inner_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_TESTING_FORWARDING_TRANSPORT_H_
