// The relay's administration API (proto/confidant/v1/admin.proto), served
// only on a Unix socket inside the data directory: whoever can open the socket
// is the administrator.
#ifndef CONFIDANT_SERVER_ADMIN_SERVICE_H_
#define CONFIDANT_SERVER_ADMIN_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "base/random.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "server/relay_keys.h"
#include "server/storage/storage.h"

namespace confidant::server {

// Longest Unix socket path the kernel accepts (sizeof(sun_path) - 1).
inline constexpr size_t kMaxUnixSocketPathSize = 107;

// Path of the admin socket of the relay whose data directory is `data_dir`.
// Inline so that confidant-admin, which links no storage, shares it.
inline std::string AdminSocketPath(const std::string& data_dir) {
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir == "/") dir.clear();
  return dir + "/admin/admin.sock";
}

// Every RPC of admin.proto over the relay's storage and keys. Blocks on
// storage, so it uses gRPC's synchronous API (admin calls are rare).
// Thread-safe; the references (and `keys`, if given) must outlive it. Without
// `keys`, the relay-key calls fail with FAILED_PRECONDITION and a backup
// holds the database only.
class AdminServiceImpl final : public v1::Admin::Service {
 public:
  AdminServiceImpl(Storage& storage, base::Clock& clock, base::Random& random,
                   RelayKeys* keys = nullptr);

  grpc::Status CreateOrganisation(
      grpc::ServerContext* context,
      const v1::CreateOrganisationRequest* request,
      v1::CreateOrganisationResponse* response) override;
  grpc::Status ListOrganisations(
      grpc::ServerContext* context, const v1::ListOrganisationsRequest* request,
      v1::ListOrganisationsResponse* response) override;
  grpc::Status RotateAccessCode(
      grpc::ServerContext* context, const v1::RotateAccessCodeRequest* request,
      v1::RotateAccessCodeResponse* response) override;
  grpc::Status CreateInvite(grpc::ServerContext* context,
                            const v1::CreateInviteRequest* request,
                            v1::CreateInviteResponse* response) override;
  grpc::Status GetStats(grpc::ServerContext* context,
                        const v1::GetStatsRequest* request,
                        v1::GetStatsResponse* response) override;
  grpc::Status Backup(grpc::ServerContext* context,
                      const v1::BackupRequest* request,
                      v1::BackupResponse* response) override;
  grpc::Status GetRelayKeys(grpc::ServerContext* context,
                            const v1::GetAdminRelayKeysRequest* request,
                            v1::GetAdminRelayKeysResponse* response) override;
  grpc::Status RotateRelayKey(grpc::ServerContext* context,
                              const v1::RotateRelayKeyRequest* request,
                              v1::RotateRelayKeyResponse* response) override;

 private:
  absl::Status DoCreateOrganisation(
      const v1::CreateOrganisationRequest& request,
      v1::CreateOrganisationResponse& out);
  absl::Status DoListOrganisations(v1::ListOrganisationsResponse& out);
  absl::Status DoRotateAccessCode(const v1::RotateAccessCodeRequest& request,
                                  v1::RotateAccessCodeResponse& out);
  absl::Status DoCreateInvite(const v1::CreateInviteRequest& request,
                              v1::CreateInviteResponse& out);
  absl::Status DoGetStats(v1::GetStatsResponse& out);
  absl::Status DoBackup(const v1::BackupRequest& request,
                        v1::BackupResponse& out);
  absl::Status DoGetRelayKeys(v1::GetAdminRelayKeysResponse& out);
  absl::Status DoRotateRelayKey(v1::RotateRelayKeyResponse& out);

  // The organisation with id `ref`, else the one named exactly `ref`.
  absl::StatusOr<OrganisationRecord> Resolve(const std::string& ref);
  // `org` as the API shows it, with its trust-person count.
  absl::StatusOr<v1::Organisation> Describe(const OrganisationRecord& org);

  Storage& storage_;
  base::Clock& clock_;
  base::Random& random_;
  RelayKeys* const keys_;
};

// A gRPC server of its own that serves AdminServiceImpl on
// unix:DATA_DIR/admin/admin.sock (mode 0600, in a directory of mode 0700) and
// nowhere else. Thread-safe.
class AdminServer {
 public:
  // Creates DATA_DIR/admin (or fixes its mode), replaces a stale socket and
  // starts serving. INVALID_ARGUMENT if the socket path is too long,
  // FAILED_PRECONDITION if another process already serves the socket or the
  // data directory is unusable. The references must outlive the server.
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(
      const std::string& data_dir, Storage& storage, base::Clock& clock,
      base::Random& random, RelayKeys* keys = nullptr);

  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;
  // Shuts down if still serving.
  ~AdminServer();

  // Stops serving (calls in flight get a few seconds to finish) and removes
  // the socket. Idempotent.
  void Shutdown();

  // The socket this server listens on.
  const std::string& socket_path() const { return socket_path_; }

 private:
  AdminServer(std::string socket_path,
              std::unique_ptr<AdminServiceImpl> service);

  const std::string socket_path_;
  std::unique_ptr<AdminServiceImpl> service_;
  absl::Mutex mu_;
  std::unique_ptr<grpc::Server> server_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_ADMIN_SERVICE_H_
