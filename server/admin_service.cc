#include "server/admin_service.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/hex.h"
#include "server/codes.h"
#include "server/log.h"
#include "server/status_util.h"
#include "server/text.h"

namespace confidant::server {
namespace {

constexpr size_t kMaxNameSize = 120;
constexpr int kMaxInviteOrganisations = 50;
constexpr uint32_t kDefaultInviteDays = 7;
constexpr uint32_t kMaxInviteDays = 30;
constexpr size_t kOrganisationIdBytes = 8;
constexpr size_t kMaxPathSize = 4095;
constexpr int kMaxRequestBytes = 256 * 1024;
constexpr auto kShutdownGrace = std::chrono::seconds(5);

// Logs storage failures as an event; messages may name records, so they stay
// out of the log.
grpc::Status Finish(const char* rpc, const absl::Status& status) {
  if (!status.ok() && (status.code() == absl::StatusCode::kInternal ||
                       status.code() == absl::StatusCode::kUnknown ||
                       status.code() == absl::StatusCode::kDataLoss)) {
    Log(LogLevel::kWarning,
        absl::StrCat("admin: ", rpc, " failed (",
                     absl::StatusCodeToString(status.code()), ")"));
  }
  return ToGrpcStatus(status);
}

std::string ErrnoText(int err) { return std::strerror(err); }

absl::Status ValidateName(std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("organisation name is empty");
  }
  if (name.size() > kMaxNameSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("organisation name is ", name.size(), " bytes; at most ",
                     kMaxNameSize, " are allowed"));
  }
  switch (CheckDisplayText(name, /*allow_newlines=*/false)) {
    case TextProblem::kNone:
      break;
    case TextProblem::kInvalidUtf8:
      return absl::InvalidArgumentError("organisation name is not valid UTF-8");
    case TextProblem::kControlCharacter:
      return absl::InvalidArgumentError(
          "organisation name contains a control character");
    case TextProblem::kFormatCharacter:
      return absl::InvalidArgumentError(
          "organisation name contains a format character (Unicode category "
          "Cf: a direction mark or override, a zero-width character or a byte "
          "order mark)");
  }
  return absl::OkStatus();
}

bool LooksLikeOrganisationId(std::string_view s) {
  if (s.size() != 2 * kOrganisationIdBytes) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::Time HourToTime(uint32_t hour) {
  return absl::FromUnixSeconds(static_cast<int64_t>(hour) * 3600);
}

std::string DayString(uint32_t hour) {
  return absl::FormatTime("%Y-%m-%d", HourToTime(hour), absl::UTCTimeZone());
}

std::string Rfc3339Hour(uint32_t hour) {
  return absl::FormatTime("%Y-%m-%dT%H:00:00Z", HourToTime(hour),
                          absl::UTCTimeZone());
}

// Hash of a freshly made code, as stored.
absl::StatusOr<std::string> HashCode(std::string_view domain,
                                     std::string_view code) {
  absl::StatusOr<std::string> normalised = NormaliseCode(code);
  if (!normalised.ok()) {
    return absl::InternalError("a generated code did not normalise");
  }
  return DomainHash(domain, *normalised);
}

// Sum of the sizes of the regular files under `dir`.
absl::StatusOr<uint64_t> DirectoryBytes(const std::filesystem::path& dir) {
  std::error_code ec;
  uint64_t total = 0;
  std::filesystem::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code file_ec;
    if (it->is_regular_file(file_ec)) {
      const uintmax_t size = it->file_size(file_ec);
      if (!file_ec) total += size;
    }
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not measure the backup: ", ec.message()));
  }
  return total;
}

v1::AdminRelayKey DescribeRelayKey(const crypto::RelayPublicKey& key) {
  v1::AdminRelayKey out;
  out.set_id(key.id);
  out.set_fingerprint(crypto::RelayKeyFingerprint(key.public_key));
  out.set_created_hour(key.created_hour);
  return out;
}

// Whether some process accepts connections on the Unix socket at `path`.
bool SocketIsServed(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  const bool served =
      connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return served;
}

}  // namespace

AdminServiceImpl::AdminServiceImpl(Storage& storage, base::Clock& clock,
                                   base::Random& random, RelayKeys* keys)
    : storage_(storage), clock_(clock), random_(random), keys_(keys) {}

grpc::Status AdminServiceImpl::CreateOrganisation(
    grpc::ServerContext* context, const v1::CreateOrganisationRequest* request,
    v1::CreateOrganisationResponse* response) {
  return Finish("CreateOrganisation",
                DoCreateOrganisation(*request, *response));
}

grpc::Status AdminServiceImpl::ListOrganisations(
    grpc::ServerContext* context, const v1::ListOrganisationsRequest* request,
    v1::ListOrganisationsResponse* response) {
  return Finish("ListOrganisations", DoListOrganisations(*response));
}

grpc::Status AdminServiceImpl::RotateAccessCode(
    grpc::ServerContext* context, const v1::RotateAccessCodeRequest* request,
    v1::RotateAccessCodeResponse* response) {
  return Finish("RotateAccessCode", DoRotateAccessCode(*request, *response));
}

grpc::Status AdminServiceImpl::CreateInvite(
    grpc::ServerContext* context, const v1::CreateInviteRequest* request,
    v1::CreateInviteResponse* response) {
  return Finish("CreateInvite", DoCreateInvite(*request, *response));
}

grpc::Status AdminServiceImpl::GetStats(grpc::ServerContext* context,
                                        const v1::GetStatsRequest* request,
                                        v1::GetStatsResponse* response) {
  return Finish("GetStats", DoGetStats(*response));
}

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context,
                                      const v1::BackupRequest* request,
                                      v1::BackupResponse* response) {
  return Finish("Backup", DoBackup(*request, *response));
}

grpc::Status AdminServiceImpl::GetRelayKeys(
    grpc::ServerContext* context, const v1::GetAdminRelayKeysRequest* request,
    v1::GetAdminRelayKeysResponse* response) {
  return Finish("GetRelayKeys", DoGetRelayKeys(*response));
}

grpc::Status AdminServiceImpl::RotateRelayKey(
    grpc::ServerContext* context, const v1::RotateRelayKeyRequest* request,
    v1::RotateRelayKeyResponse* response) {
  return Finish("RotateRelayKey", DoRotateRelayKey(*response));
}

absl::Status AdminServiceImpl::DoCreateOrganisation(
    const v1::CreateOrganisationRequest& request,
    v1::CreateOrganisationResponse& out) {
  const std::string& name = request.name();
  if (absl::Status s = ValidateName(name); !s.ok()) return s;

  absl::StatusOr<std::vector<OrganisationRecord>> existing =
      storage_.organisations().List();
  if (!existing.ok()) return existing.status();
  for (const OrganisationRecord& org : *existing) {
    if (absl::EqualsIgnoreCase(org.name, name)) {
      return absl::AlreadyExistsError(
          absl::StrCat("an organisation named \"", org.name,
                       "\" already exists (id ", org.id, ")"));
    }
  }

  OrganisationRecord record;
  record.name = name;
  record.created_hour = clock_.NowHour();
  // Ids are random; a collision is astronomically rare but cheap to avoid.
  for (int attempt = 0;; ++attempt) {
    record.id = base::HexEncode(random_.Bytes(kOrganisationIdBytes));
    absl::StatusOr<OrganisationRecord> clash =
        storage_.organisations().Get(record.id);
    if (clash.ok() && attempt < 3) continue;
    if (clash.ok()) return absl::InternalError("could not pick a free id");
    if (!absl::IsNotFound(clash.status())) return clash.status();
    break;
  }

  const std::string code = NewCode(random_, kAccessCodeGroups);
  absl::StatusOr<std::string> hash = HashCode(kAccessCodeDomain, code);
  if (!hash.ok()) return hash.status();
  if (absl::Status s = storage_.organisations().Create(record, *hash);
      !s.ok()) {
    if (absl::IsAlreadyExists(s)) {
      return absl::AlreadyExistsError(
          "an organisation with that name already exists");
    }
    return s;
  }

  absl::StatusOr<v1::Organisation> described = Describe(record);
  if (!described.ok()) return described.status();
  *out.mutable_organisation() = *std::move(described);
  out.set_access_code(code);
  Log(LogLevel::kInfo, "admin: organisation created");
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoListOrganisations(
    v1::ListOrganisationsResponse& out) {
  absl::StatusOr<std::vector<OrganisationRecord>> orgs =
      storage_.organisations().List();
  if (!orgs.ok()) return orgs.status();
  for (const OrganisationRecord& org : *orgs) {
    absl::StatusOr<v1::Organisation> described = Describe(org);
    if (!described.ok()) return described.status();
    *out.add_organisations() = *std::move(described);
  }
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoRotateAccessCode(
    const v1::RotateAccessCodeRequest& request,
    v1::RotateAccessCodeResponse& out) {
  absl::StatusOr<OrganisationRecord> org = Resolve(request.organisation());
  if (!org.ok()) return org.status();

  const std::string code = NewCode(random_, kAccessCodeGroups);
  absl::StatusOr<std::string> hash = HashCode(kAccessCodeDomain, code);
  if (!hash.ok()) return hash.status();
  if (absl::Status s =
          storage_.organisations().ReplaceAccessCode(org->id, *hash);
      !s.ok()) {
    return s;
  }

  absl::StatusOr<v1::Organisation> described = Describe(*org);
  if (!described.ok()) return described.status();
  *out.mutable_organisation() = *std::move(described);
  out.set_access_code(code);
  Log(LogLevel::kInfo, "admin: access code rotated");
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoCreateInvite(
    const v1::CreateInviteRequest& request, v1::CreateInviteResponse& out) {
  if (request.organisations().empty()) {
    return absl::InvalidArgumentError(
        "an invite needs at least one organisation");
  }
  if (request.organisations_size() > kMaxInviteOrganisations) {
    return absl::InvalidArgumentError(
        absl::StrCat("an invite can name at most ", kMaxInviteOrganisations,
                     " organisations, not ", request.organisations_size()));
  }
  const uint32_t days =
      request.valid_days() == 0 ? kDefaultInviteDays : request.valid_days();
  if (days > kMaxInviteDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "valid_days must be between 1 and ", kMaxInviteDays, " (0 means ",
        kDefaultInviteDays, "), not ", request.valid_days()));
  }

  std::vector<OrganisationRecord> orgs;
  for (const std::string& ref : request.organisations()) {
    absl::StatusOr<OrganisationRecord> org = Resolve(ref);
    if (!org.ok()) return org.status();
    bool duplicate = false;
    for (const OrganisationRecord& seen : orgs) duplicate |= seen.id == org->id;
    if (!duplicate) orgs.push_back(*std::move(org));
  }

  InviteRecord invite;
  for (const OrganisationRecord& org : orgs) {
    invite.organisation_ids.push_back(org.id);
  }
  invite.expires_hour = clock_.NowHour() + 24 * days;

  const std::string code = NewCode(random_, kInviteGroups);
  absl::StatusOr<std::string> hash = HashCode(kInviteDomain, code);
  if (!hash.ok()) return hash.status();
  if (absl::Status s = storage_.accounts().AddInvite(*hash, invite); !s.ok()) {
    return s;
  }

  out.set_invite_code(code);
  for (const OrganisationRecord& org : orgs) {
    absl::StatusOr<v1::Organisation> described = Describe(org);
    if (!described.ok()) return described.status();
    *out.add_organisations() = *std::move(described);
  }
  out.set_expires(Rfc3339Hour(invite.expires_hour));
  Log(LogLevel::kInfo, "admin: trust-person invite created");
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoGetStats(v1::GetStatsResponse& out) {
  absl::StatusOr<AccountStore::Counts> counts =
      storage_.accounts().Count(clock_.NowHour());
  if (!counts.ok()) return counts.status();
  absl::StatusOr<std::vector<OrganisationRecord>> orgs =
      storage_.organisations().List();
  if (!orgs.ok()) return orgs.status();
  absl::StatusOr<uint64_t> queued = storage_.mailboxes().CountQueued();
  if (!queued.ok()) return queued.status();
  absl::StatusOr<uint64_t> bytes = storage_.BytesOnDisk();
  if (!bytes.ok()) return bytes.status();

  out.set_organisations(orgs->size());
  out.set_employee_accounts(counts->employees);
  out.set_trust_person_accounts(counts->trust_persons);
  out.set_queued_envelopes(*queued);
  out.set_open_invites(counts->open_invites);
  out.set_bytes_on_disk(*bytes);
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoBackup(const v1::BackupRequest& request,
                                        v1::BackupResponse& out) {
  std::string target = request.target_dir();
  if (target.empty()) {
    return absl::InvalidArgumentError("the backup target directory is empty");
  }
  if (target.size() > kMaxPathSize || target.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("the backup target is not a usable path");
  }
  if (target.front() != '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        "the backup target must be an absolute path, not \"", target, "\""));
  }
  target = std::filesystem::path(target).lexically_normal().string();
  while (target.size() > 1 && target.back() == '/') target.pop_back();

  struct stat st;
  if (lstat(target.c_str(), &st) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat(target,
                     " already exists: give a directory that does "
                     "not exist yet (the relay creates it)"));
  }
  if (errno != ENOENT) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot use ", target, ": ", ErrnoText(errno)));
  }
  const std::string parent =
      std::filesystem::path(target).parent_path().string();
  if (stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the parent directory ", parent,
                     " of the backup target does not exist"));
  }

  if (absl::Status s = storage_.Checkpoint(target); !s.ok()) {
    Log(LogLevel::kWarning, "admin: backup failed");
    return absl::Status(s.code(), absl::StrCat("backup failed: ", s.message()));
  }
  // The keys go with the database: a restore that made a new key 1 would
  // make every client refuse the relay (docs/operations.md).
  if (keys_ != nullptr) {
    if (absl::Status s =
            keys_->WriteCopy(absl::StrCat(target, "/", kRelayKeysFileName));
        !s.ok()) {
      Log(LogLevel::kWarning, "admin: backup of the relay keys failed");
      return absl::Status(s.code(),
                          absl::StrCat("backup failed: ", s.message()));
    }
  }
  absl::StatusOr<uint64_t> bytes = DirectoryBytes(target);
  if (!bytes.ok()) return bytes.status();
  out.set_target_dir(target);
  out.set_bytes(*bytes);
  Log(LogLevel::kInfo, "admin: backup written");
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoGetRelayKeys(
    v1::GetAdminRelayKeysResponse& out) {
  if (keys_ == nullptr) {
    return absl::FailedPreconditionError("this relay has no signing keys");
  }
  const std::vector<crypto::RelayPublicKey> chain = keys_->Chain();
  out.set_root_fingerprint(
      crypto::RelayKeyFingerprint(chain.front().public_key));
  for (const crypto::RelayPublicKey& key : chain) {
    *out.add_keys() = DescribeRelayKey(key);
  }
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoRotateRelayKey(
    v1::RotateRelayKeyResponse& out) {
  if (keys_ == nullptr) {
    return absl::FailedPreconditionError("this relay has no signing keys");
  }
  absl::StatusOr<crypto::RelayPublicKey> rotated = keys_->Rotate();
  if (!rotated.ok()) {
    Log(LogLevel::kWarning, "admin: relay key rotation failed");
    return absl::Status(
        rotated.status().code(),
        absl::StrCat("rotation failed, the relay still signs with its "
                     "previous key: ",
                     rotated.status().message()));
  }
  *out.mutable_key() = DescribeRelayKey(*rotated);
  out.set_root_fingerprint(keys_->RootFingerprint());
  Log(LogLevel::kInfo, "admin: relay key rotated");
  return absl::OkStatus();
}

absl::StatusOr<OrganisationRecord> AdminServiceImpl::Resolve(
    const std::string& ref) {
  if (ref.empty()) {
    return absl::InvalidArgumentError(
        "organisation is empty: give its id or its exact name");
  }
  if (LooksLikeOrganisationId(ref)) {
    absl::StatusOr<OrganisationRecord> by_id =
        storage_.organisations().Get(ref);
    if (by_id.ok() || !absl::IsNotFound(by_id.status())) return by_id;
  }
  absl::StatusOr<std::vector<OrganisationRecord>> orgs =
      storage_.organisations().List();
  if (!orgs.ok()) return orgs.status();
  const OrganisationRecord* near = nullptr;
  for (const OrganisationRecord& org : *orgs) {
    if (org.name == ref) return org;
    if (absl::EqualsIgnoreCase(org.name, ref)) near = &org;
  }
  if (!ValidateName(ref).ok()) {
    return absl::NotFoundError("no organisation has that id or name");
  }
  std::string message =
      absl::StrCat("no organisation has the id or exact name \"", ref, "\"");
  if (near != nullptr) {
    absl::StrAppend(&message, " (did you mean \"", near->name, "\"?)");
  }
  return absl::NotFoundError(message);
}

absl::StatusOr<v1::Organisation> AdminServiceImpl::Describe(
    const OrganisationRecord& org) {
  absl::StatusOr<std::vector<AccountRecord>> trust_persons =
      storage_.accounts().ListTrustPersons(org.id);
  if (!trust_persons.ok()) return trust_persons.status();
  v1::Organisation out;
  out.set_id(org.id);
  out.set_name(org.name);
  out.set_created_day(DayString(org.created_hour));
  out.set_trust_person_count(static_cast<uint32_t>(trust_persons->size()));
  return out;
}

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(
    const std::string& data_dir, Storage& storage, base::Clock& clock,
    base::Random& random, RelayKeys* keys) {
  if (data_dir.empty()) {
    return absl::InvalidArgumentError("the data directory is empty");
  }
  const std::string socket_path = AdminSocketPath(data_dir);
  if (socket_path.size() > kMaxUnixSocketPathSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the admin socket path ", socket_path, " is ", socket_path.size(),
        " bytes, but Unix sockets allow at most ", kMaxUnixSocketPathSize,
        ": use a data directory with a shorter path"));
  }
  struct stat st;
  if (stat(data_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the data directory ", data_dir, " does not exist"));
  }

  const std::string admin_dir =
      std::filesystem::path(socket_path).parent_path().string();
  if (mkdir(admin_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", admin_dir, ": ", ErrnoText(errno)));
  }
  if (lstat(admin_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(admin_dir, " is not a directory"));
  }
  if ((st.st_mode & 07777) != 0700 && chmod(admin_dir.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot set the mode of ", admin_dir, " to 0700: ", ErrnoText(errno)));
  }

  if (lstat(socket_path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          socket_path, " exists and is not a socket: remove it first"));
    }
    if (SocketIsServed(socket_path)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "another process already serves the admin socket ", socket_path));
    }
    if (unlink(socket_path.c_str()) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot remove the stale socket ", socket_path, ": ",
                       ErrnoText(errno)));
    }
  }

  auto service =
      std::make_unique<AdminServiceImpl>(storage, clock, random, keys);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path,
                           grpc::InsecureServerCredentials());
  builder.RegisterService(service.get());
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS,
                              1);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 1);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 2);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on the admin socket ", socket_path));
  }

  std::unique_ptr<AdminServer> admin(
      new AdminServer(socket_path, std::move(service)));
  {
    absl::MutexLock lock(&admin->mu_);
    admin->server_ = std::move(server);
  }
  if (chmod(socket_path.c_str(), 0600) != 0) {
    const int err = errno;
    admin->Shutdown();
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot set the mode of ", socket_path, " to 0600: ", ErrnoText(err)));
  }
  Log(LogLevel::kInfo, "admin: serving on the admin socket");
  return admin;
}

AdminServer::AdminServer(std::string socket_path,
                         std::unique_ptr<AdminServiceImpl> service)
    : socket_path_(std::move(socket_path)), service_(std::move(service)) {}

AdminServer::~AdminServer() { Shutdown(); }

void AdminServer::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  server_->Wait();
  server_.reset();
  struct stat st;
  if (lstat(socket_path_.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    unlink(socket_path_.c_str());
  }
  Log(LogLevel::kInfo, "admin: stopped");
}

}  // namespace confidant::server
