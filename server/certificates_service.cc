// The Certificates service (relay.proto): the relay's public key chain for
// anyone, and sender certificates for authenticated accounts. Issuing stores
// nothing and logs nothing.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "server/relay_service_internal.h"

namespace confidant::server {
namespace {

using Shared = RelayServices::Shared;
using RawCertificates = v1::Certificates::WithRawCallbackMethod_GetRelayKeys<
    v1::Certificates::WithRawCallbackMethod_GetSenderCertificate<
        v1::Certificates::Service>>;

class CertificatesService final : public RawCertificates {
 public:
  explicit CertificatesService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* GetRelayKeys(grpc::CallbackServerContext* call,
                                         const grpc::ByteBuffer* in,
                                         grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetRelayKeysRequest, v1::GetRelayKeysResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext&,
               const v1::GetRelayKeysRequest&,
               v1::GetRelayKeysResponse* resp) -> absl::Status {
          for (const crypto::RelayPublicKey& key : s_.keys.Chain()) {
            v1::RelayKey* out_key = resp->add_keys();
            out_key->set_id(key.id);
            out_key->set_public_key(key.public_key);
            out_key->set_created_hour(key.created_hour);
            out_key->set_endorsement(key.endorsement);
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetSenderCertificate(
      grpc::CallbackServerContext* call, const grpc::ByteBuffer* in,
      grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetSenderCertificateRequest,
                    v1::GetSenderCertificateResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& ctx,
               const v1::GetSenderCertificateRequest&,
               v1::GetSenderCertificateResponse* resp) -> absl::Status {
          absl::StatusOr<AccountRecord> me = s_.Authenticate(ctx);
          if (!me.ok()) return me.status();
          if (!s_.certificate_limiter.TryAcquire(me->id)) {
            return absl::ResourceExhaustedError(
                "too many sender certificate requests; try again later");
          }
          absl::StatusOr<IdentityRecord> identity =
              s_.storage.keys().GetIdentity(me->id);
          if (absl::IsNotFound(identity.status())) {
            return absl::FailedPreconditionError(
                "upload your keys first: a sender certificate names the "
                "identity key the relay holds for you");
          }
          if (!identity.ok()) return identity.status();
          absl::StatusOr<std::string> certificate =
              s_.keys.Issue(me->id, identity->identity_key);
          if (!certificate.ok()) {
            return absl::InternalError(
                "the relay could not issue a sender certificate");
          }
          resp->set_certificate(*std::move(certificate));
          return absl::OkStatus();
        });
  }

 private:
  Shared& s_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewCertificatesService(Shared& shared) {
  return std::make_unique<CertificatesService>(shared);
}

}  // namespace confidant::server
