// The Directory service (relay.proto): the trust persons of one of the
// caller's organisations who have uploaded keys, with their profiles and
// identity keys.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "server/relay_service_internal.h"

namespace confidant::server {
namespace {

using Shared = RelayServices::Shared;
using RawDirectory = v1::Directory::WithRawCallbackMethod_ListTrustPersons<
    v1::Directory::Service>;

class DirectoryService final : public RawDirectory {
 public:
  explicit DirectoryService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* ListTrustPersons(grpc::CallbackServerContext* call,
                                             const grpc::ByteBuffer* in,
                                             grpc::ByteBuffer* out) override {
    return s_.Unary<v1::ListTrustPersonsRequest, v1::ListTrustPersonsResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::ListTrustPersonsRequest& request,
               v1::ListTrustPersonsResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          const v1::ListTrustPersonsRequest* req = &request;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          std::string org_id = req->organisation_id();
          if (org_id.empty()) {
            if (me->organisation_ids.size() != 1) {
              return absl::InvalidArgumentError(
                  "organisation_id is required for accounts in several "
                  "organisations");
            }
            org_id = me->organisation_ids.front();
          }
          if (std::find(me->organisation_ids.begin(),
                        me->organisation_ids.end(),
                        org_id) == me->organisation_ids.end()) {
            return absl::PermissionDeniedError(
                "you do not belong to that organisation");
          }
          absl::StatusOr<OrganisationRecord> org =
              s_.storage.organisations().Get(org_id);
          if (!org.ok()) return org.status();
          absl::StatusOr<std::vector<AccountRecord>> people =
              s_.storage.accounts().ListTrustPersons(org_id);
          if (!people.ok()) return people.status();
          resp->mutable_organisation()->set_id(org->id);
          resp->mutable_organisation()->set_name(org->name);
          for (const AccountRecord& p : *people) {
            absl::StatusOr<IdentityRecord> identity =
                s_.storage.keys().GetIdentity(p.id);
            if (absl::IsNotFound(identity.status()))
              continue;  // not reachable yet
            if (!identity.ok()) return identity.status();
            v1::TrustPerson* tp = resp->add_trust_persons();
            tp->set_account_id(p.id);
            *tp->mutable_profile() = p.profile;
            tp->set_identity_key(identity->identity_key);
          }
          return absl::OkStatus();
        });
  }

 private:
  Shared& s_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewDirectoryService(Shared& shared) {
  return std::make_unique<DirectoryService>(shared);
}

}  // namespace confidant::server
