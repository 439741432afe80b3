// Fuzzes every method of the admin service (server/admin_service.h) over the
// seeded world of relay_world.h. Input: byte 0 picks the method (modulo 7:
// CreateOrganisation, ListOrganisations, RotateAccessCode, CreateInvite,
// GetStats, Backup over MemoryStorage, Backup over RocksDB), the rest is the
// request message. Bytes that do not parse as the request never reach the
// service (gRPC rejects them first) and are skipped. Every input gets a fresh
// in-memory world; the oracle: a status the admin can act on (never INTERNAL
// or UNKNOWN), failures change nothing, successes do what they say. Backup
// targets are confined to a sandbox directory that is emptied after each
// input.
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/admin.pb.h"
#include "server/admin_service.h"
#include "server/codes.h"
#include "server/log.h"
#include "server/storage/memory_storage.h"
#include "server/storage/rocksdb_storage.h"
#include "tests/fuzz/relay_world.h"

namespace confidant::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kStartUnixSeconds = 1790000000;
constexpr int kMethods = 7;
enum Method {
  kCreateOrganisation,
  kListOrganisations,
  kRotateAccessCode,
  kCreateInvite,
  kGetStats,
  kBackupMemory,
  kBackupRocksDb,
};

const char* MethodName(int m) {
  static const char* const kNames[] = {
      "CreateOrganisation", "ListOrganisations", "RotateAccessCode",
      "CreateInvite",       "GetStats",          "Backup(memory)",
      "Backup(RocksDB)"};
  return kNames[m];
}

// The validated fields of one seeded organisation's access code, hashed.
std::string AccessCodeHash(std::string_view code) {
  absl::StatusOr<std::string> normalised = server::NormaliseCode(code);
  if (!normalised.ok()) return "";
  return server::DomainHash(server::kAccessCodeDomain, *normalised);
}

// Everything an admin call could change, as text.
std::string Describe(server::Storage& storage, uint32_t now_hour) {
  std::string out;
  absl::StatusOr<std::vector<server::OrganisationRecord>> orgs =
      storage.organisations().List();
  absl::StatusOr<server::AccountStore::Counts> counts =
      storage.accounts().Count(now_hour);
  absl::StatusOr<uint64_t> queued = storage.mailboxes().CountQueued();
  if (!orgs.ok() || !counts.ok() || !queued.ok()) return "storage failed";
  for (const auto& org : *orgs) {
    absl::StrAppend(&out, "org ", org.id, " ", org.name, " ", org.created_hour,
                    "\n");
  }
  absl::StrAppend(&out, "employees=", counts->employees,
                  " trust_persons=", counts->trust_persons,
                  " open_invites=", counts->open_invites, " queued=", *queued,
                  "\n");
  for (const WorldOrganisation& org : WorldOrganisations()) {
    absl::StatusOr<server::OrganisationRecord> found =
        storage.organisations().FindByAccessCode(
            AccessCodeHash(org.access_code));
    absl::StrAppend(&out, "code of ", org.name, " -> ",
                    found.ok() ? found->id : "none", "\n");
  }
  return out;
}

bool IsAllowed(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

// Directories made for the run and removed at exit: `sandbox` receives the
// backups (emptied after every input), `rocksdb` holds the database.
struct Dirs {
  std::string root;
  std::string sandbox;
  std::string rocksdb;
};

class AdminHarness {
 public:
  AdminHarness() : clock_(absl::FromUnixSeconds(kStartUnixSeconds)) {
    google::protobuf::SetLogHandler(nullptr);
    server::SetMinLogLevel(server::LogLevel::kError);
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp",
                     "/confidant-admin-fuzz-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) Abort("harness", "mkdtemp failed");
    dirs_.root = pattern;
    dirs_.sandbox = dirs_.root + "/sandbox";
    dirs_.rocksdb = dirs_.root + "/db";
    fs::create_directory(dirs_.sandbox);
    instance_ = this;
    std::atexit(+[] { instance_->Cleanup(); });
  }

  void Run(int method, const std::string& request) {
    method_ = method;
    switch (method) {
      case kCreateOrganisation:
        return RunCreateOrganisation(request);
      case kListOrganisations:
        return RunListOrganisations(request);
      case kRotateAccessCode:
        return RunRotateAccessCode(request);
      case kCreateInvite:
        return RunCreateInvite(request);
      case kGetStats:
        return RunGetStats(request);
      case kBackupMemory:
      case kBackupRocksDb:
        return RunBackup(request, method == kBackupRocksDb);
    }
  }

 private:
  [[noreturn]] static void Abort(std::string_view where,
                                 std::string_view what) {
    std::fprintf(stderr, "admin fuzzer (%.*s): %.*s\n",
                 static_cast<int>(where.size()), where.data(),
                 static_cast<int>(what.size()), what.data());
    std::abort();
  }

  void Expect(bool condition, std::string_view what) {
    if (!condition) Abort(MethodName(method_), what);
  }

  // CONFIDANT_FUZZ_VERBOSE=1 prints each call's outcome (for corpus work).
  void Trace(const grpc::Status& status) {
    if (std::getenv("CONFIDANT_FUZZ_VERBOSE") == nullptr) return;
    std::fprintf(stderr, "%s -> %d %s\n", MethodName(method_),
                 static_cast<int>(status.error_code()),
                 status.error_message().c_str());
  }

  // A fresh seeded in-memory world, an hour after the previous one.
  server::AdminServiceImpl& FreshWorld() {
    clock_.Advance(absl::Hours(1));
    now_hour_ = clock_.NowHour();
    service_.reset();
    random_ = std::make_unique<base::FakeRandom>(0xad417);
    storage_ = server::NewMemoryStorage();
    if (absl::Status s = SeedWorld(*storage_, now_hour_); !s.ok()) {
      Abort("harness", absl::StrCat("seeding failed: ", s.ToString()));
    }
    service_ =
        std::make_unique<server::AdminServiceImpl>(*storage_, clock_, *random_);
    before_ = Describe(*storage_, now_hour_);
    return *service_;
  }

  void CheckStatus(const grpc::Status& status) {
    Trace(status);
    Expect(IsAllowed(status.error_code()),
           absl::StrCat("status ", status.error_code(), " (\"",
                        status.error_message(),
                        "\") is not one an administrator can act on"));
    if (!status.ok()) {
      Expect(!status.error_message().empty(), "an error without a message");
      Expect(Describe(*storage_, now_hour_) == before_,
             "a failed call changed the stored state");
    }
  }

  // The seeded organisation `ref` names by id or exact name, if any.
  static const WorldOrganisation* Resolve(const std::string& ref) {
    for (const WorldOrganisation& org : WorldOrganisations()) {
      if (org.id == ref || org.name == ref) return &org;
    }
    return nullptr;
  }

  void RunCreateOrganisation(const std::string& bytes) {
    v1::CreateOrganisationRequest req;
    if (!req.ParseFromString(bytes)) return;
    v1::CreateOrganisationResponse resp;
    const grpc::Status status =
        FreshWorld().CreateOrganisation(nullptr, &req, &resp);
    CheckStatus(status);
    bool clash = false;
    for (const WorldOrganisation& org : WorldOrganisations()) {
      clash |= absl::EqualsIgnoreCase(org.name, req.name());
    }
    if (!status.ok()) {
      if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        Expect(clash, "ALREADY_EXISTS for a new name");
      }
      return;
    }
    Expect(!clash,
           "a second organisation with a name that differs only in "
           "case");
    Expect(!req.name().empty() && req.name().size() <= 120,
           "accepted an empty or overlong name");
    Expect(resp.organisation().name() == req.name(), "name not kept");
    Expect(resp.organisation().id().size() == 16 &&
               !Resolve(resp.organisation().id()),
           "not a fresh 16-character id");
    absl::StatusOr<server::OrganisationRecord> found =
        storage_->organisations().FindByAccessCode(
            AccessCodeHash(resp.access_code()));
    Expect(found.ok() && found->id == resp.organisation().id() &&
               found->name == req.name(),
           "the returned access code does not lead to the new organisation");
    absl::StatusOr<std::vector<server::OrganisationRecord>> all =
        storage_->organisations().List();
    Expect(all.ok() && all->size() == WorldOrganisations().size() + 1,
           "not exactly one organisation added");
  }

  void RunListOrganisations(const std::string& bytes) {
    v1::ListOrganisationsRequest req;
    if (!req.ParseFromString(bytes)) return;
    v1::ListOrganisationsResponse resp;
    const grpc::Status status =
        FreshWorld().ListOrganisations(nullptr, &req, &resp);
    CheckStatus(status);
    Expect(status.ok(), "listing failed");
    Expect(Describe(*storage_, now_hour_) == before_, "listing changed state");
    Expect(resp.organisations_size() ==
               static_cast<int>(WorldOrganisations().size()),
           "wrong number of organisations");
    std::string previous;
    for (const v1::Organisation& org : resp.organisations()) {
      const WorldOrganisation* seeded = Resolve(org.id());
      Expect(seeded != nullptr && seeded->name == org.name(),
             "an organisation that was never created");
      const std::string folded = absl::AsciiStrToLower(org.name());
      Expect(previous < folded, "not ordered by name");
      previous = folded;
      uint32_t trust_persons = 0;
      for (const WorldAccount& a : WorldAccounts()) {
        if (a.kind == v1::ACCOUNT_KIND_TRUST_PERSON) {
          for (const auto& id : a.organisation_ids)
            trust_persons += id == org.id();
        }
      }
      Expect(org.trust_person_count() == trust_persons,
             "wrong trust-person count");
    }
  }

  void RunRotateAccessCode(const std::string& bytes) {
    v1::RotateAccessCodeRequest req;
    if (!req.ParseFromString(bytes)) return;
    v1::RotateAccessCodeResponse resp;
    const grpc::Status status =
        FreshWorld().RotateAccessCode(nullptr, &req, &resp);
    CheckStatus(status);
    const WorldOrganisation* target = Resolve(req.organisation());
    if (!status.ok()) {
      Expect(target == nullptr,
             "rotating the code of an existing "
             "organisation failed");
      if (!req.organisation().empty()) {
        Expect(status.error_code() == grpc::StatusCode::NOT_FOUND,
               "an unknown organisation is not NOT_FOUND");
      }
      return;
    }
    Expect(target != nullptr && resp.organisation().id() == target->id,
           "rotated an organisation the request does not name");
    for (const WorldOrganisation& org : WorldOrganisations()) {
      absl::StatusOr<server::OrganisationRecord> found =
          storage_->organisations().FindByAccessCode(
              AccessCodeHash(org.access_code));
      Expect(found.ok() == (&org != target),
             "the old code still works, or another organisation's stopped");
    }
    absl::StatusOr<server::OrganisationRecord> found =
        storage_->organisations().FindByAccessCode(
            AccessCodeHash(resp.access_code()));
    Expect(found.ok() && found->id == target->id,
           "the new code does not lead to the organisation");
  }

  void RunCreateInvite(const std::string& bytes) {
    v1::CreateInviteRequest req;
    if (!req.ParseFromString(bytes)) return;
    v1::CreateInviteResponse resp;
    const grpc::Status status = FreshWorld().CreateInvite(nullptr, &req, &resp);
    CheckStatus(status);
    std::set<std::string> named;
    bool all_known = !req.organisations().empty();
    for (const std::string& ref : req.organisations()) {
      const WorldOrganisation* org = Resolve(ref);
      all_known &= org != nullptr;
      if (org != nullptr) named.insert(org->id);
    }
    const bool valid_days = req.valid_days() <= 30;
    const bool valid =
        all_known && req.organisations_size() <= 50 && valid_days;
    if (!status.ok()) {
      Expect(!valid, "a valid invite request failed");
      return;
    }
    Expect(valid, "an invalid invite request succeeded");
    std::set<std::string> got;
    for (const v1::Organisation& org : resp.organisations())
      got.insert(org.id());
    Expect(got == named &&
               resp.organisations_size() == static_cast<int>(named.size()),
           "the invite names other organisations than asked for");
    const uint32_t days = req.valid_days() == 0 ? 7 : req.valid_days();
    const std::string expires = absl::FormatTime(
        "%Y-%m-%dT%H:00:00Z",
        absl::FromUnixSeconds(static_cast<int64_t>(now_hour_ + 24 * days) *
                              3600),
        absl::UTCTimeZone());
    Expect(resp.expires() == expires, "wrong expiry");
    absl::StatusOr<server::AccountStore::Counts> counts =
        storage_->accounts().Count(now_hour_);
    Expect(counts.ok() && counts->open_invites == 3, "invite not stored");
  }

  void RunGetStats(const std::string& bytes) {
    v1::GetStatsRequest req;
    if (!req.ParseFromString(bytes)) return;
    v1::GetStatsResponse resp;
    const grpc::Status status = FreshWorld().GetStats(nullptr, &req, &resp);
    CheckStatus(status);
    Expect(status.ok(), "stats failed");
    uint64_t employees = 0, trust_persons = 0, queued = 0;
    for (const WorldAccount& a : WorldAccounts()) {
      employees += a.kind == v1::ACCOUNT_KIND_EMPLOYEE;
      trust_persons += a.kind == v1::ACCOUNT_KIND_TRUST_PERSON;
      queued += a.queued;
    }
    Expect(resp.organisations() == WorldOrganisations().size() &&
               resp.employee_accounts() == employees &&
               resp.trust_person_accounts() == trust_persons &&
               resp.queued_envelopes() == queued && resp.open_invites() == 2 &&
               resp.bytes_on_disk() == 0,
           "stats differ from the seeded world");
  }

  // Backup targets live in the sandbox: an absolute target is taken as
  // relative to it; one that would leave it after normalisation is skipped.
  void RunBackup(const std::string& bytes, bool rocksdb) {
    v1::BackupRequest req;
    if (!req.ParseFromString(bytes)) return;
    std::string target = req.target_dir();
    if (!target.empty() && target.front() == '/') {
      target = dirs_.sandbox + target;
      std::string normal = fs::path(target).lexically_normal().string();
      while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
      if (normal != dirs_.sandbox &&
          !absl::StartsWith(normal, dirs_.sandbox + "/")) {
        return;
      }
    }
    req.set_target_dir(target);
    v1::BackupResponse resp;
    grpc::Status status;
    if (rocksdb) {
      server::AdminServiceImpl& service = RocksDbWorld();
      status = service.Backup(nullptr, &req, &resp);
      Trace(status);
      Expect(IsAllowed(status.error_code()),
             absl::StrCat("status ", status.error_code(), " (\"",
                          status.error_message(), "\")"));
    } else {
      status = FreshWorld().Backup(nullptr, &req, &resp);
      CheckStatus(status);
      Expect(!status.ok(), "the in-memory storage claims to have a backup");
    }
    if (!status.ok()) {
      Expect(!status.error_message().empty(), "an error without a message");
    }
    std::vector<fs::path> made;
    for (const auto& entry : fs::directory_iterator(dirs_.sandbox)) {
      made.push_back(entry.path());
    }
    if (status.ok()) {
      Expect(absl::StartsWith(resp.target_dir(), dirs_.sandbox + "/") &&
                 fs::is_directory(resp.target_dir()) &&
                 fs::exists(resp.target_dir() + "/CURRENT") && resp.bytes() > 0,
             "the reported backup is not a database directory");
      Expect(made.size() == 1, "a backup made more than its directory");
    } else {
      Expect(made.empty(), "a failed backup left files behind");
    }
    for (const fs::path& p : made) {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  }

  server::AdminServiceImpl& RocksDbWorld() {
    if (rocks_service_ == nullptr) {
      absl::StatusOr<std::unique_ptr<server::Storage>> storage =
          server::OpenRocksDbStorage(dirs_.rocksdb);
      if (!storage.ok()) Abort("harness", storage.status().ToString());
      rocks_storage_ = *std::move(storage);
      if (absl::Status s = SeedWorld(*rocks_storage_, clock_.NowHour());
          !s.ok()) {
        Abort("harness", absl::StrCat("seeding failed: ", s.ToString()));
      }
      rocks_random_ = std::make_unique<base::FakeRandom>(0xad417);
      rocks_service_ = std::make_unique<server::AdminServiceImpl>(
          *rocks_storage_, clock_, *rocks_random_);
      // Registered after RocksDB made its own statics, so it runs before
      // they are destroyed.
      std::atexit(+[] { instance_->CloseRocksDb(); });
    }
    return *rocks_service_;
  }

  void CloseRocksDb() {
    rocks_service_.reset();
    rocks_storage_.reset();
  }

  void Cleanup() {
    std::error_code ec;
    fs::remove_all(dirs_.root, ec);
  }

  static AdminHarness* instance_;
  int method_ = 0;
  base::FakeClock clock_;
  uint32_t now_hour_ = 0;
  Dirs dirs_;
  std::unique_ptr<base::FakeRandom> random_;
  std::unique_ptr<server::Storage> storage_;
  std::unique_ptr<server::AdminServiceImpl> service_;
  std::string before_;
  std::unique_ptr<base::FakeRandom> rocks_random_;
  std::unique_ptr<server::Storage> rocks_storage_;
  std::unique_ptr<server::AdminServiceImpl> rocks_service_;
};

AdminHarness* AdminHarness::instance_ = nullptr;

}  // namespace
}  // namespace confidant::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ::confidant::fuzz::AdminHarness;
  // Never destroyed; the directories go at exit.
  static AdminHarness* harness = new AdminHarness;
  const int method = size == 0 ? 0 : data[0] % ::confidant::fuzz::kMethods;
  const std::string request =
      size == 0
          ? std::string()
          : std::string(reinterpret_cast<const char*>(data) + 1, size - 1);
  harness->Run(method, request);
  return 0;
}
