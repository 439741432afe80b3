// confidant-admin: the administrator's tool. Talks to a running relay over its
// admin socket (DATA_DIR/admin/admin.sock) and nothing else.
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "server/admin_service.h"

namespace confidant::admin {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr std::chrono::seconds kCallDeadline(30);
constexpr std::chrono::minutes kBackupDeadline(10);

void PrintError(const std::string& message) {
  std::string line = absl::StrReplaceAll(message, {{"\r", " "}, {"\n", " "}});
  std::fprintf(stderr, "confidant-admin: %s\n", line.c_str());
}

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s (%d bytes)", value, kUnits[unit], bytes);
}

std::string Describe(const v1::Organisation& org) {
  return absl::StrCat(org.name(), " (id ", org.id(), ")");
}

// What the command line asked for.
struct Request {
  std::string data_dir;
  bool json = false;
  std::string org_name;
  std::string org_ref;
  std::vector<std::string> invite_orgs;
  uint32_t valid_days = 0;
  std::string backup_dir;
};

class Client {
 public:
  Client(std::string data_dir, std::string socket_path)
      : data_dir_(std::move(data_dir)),
        socket_path_(std::move(socket_path)),
        channel_(grpc::CreateChannel("unix:" + socket_path_,
                                     grpc::InsecureChannelCredentials())),
        stub_(v1::Admin::NewStub(channel_)) {}

  v1::Admin::Stub& stub() { return *stub_; }

  // Prints the outcome of one call: `response` (as JSON or via `print_human`)
  // on success, else one line on stderr. Returns the exit code.
  int Report(const grpc::Status& status,
             const google::protobuf::Message& response, bool json,
             const std::function<void()>& print_human) {
    if (!status.ok()) {
      PrintError(ErrorText(status));
      return kExitFailure;
    }
    if (!json) {
      print_human();
      return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
    }
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    std::string out;
    const auto json_status =
        google::protobuf::util::MessageToJsonString(response, &out, options);
    if (!json_status.ok()) {
      PrintError(absl::StrCat("cannot print the answer as JSON: ",
                              json_status.ToString()));
      return kExitFailure;
    }
    std::printf("%s\n", out.c_str());
    return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
  }

 private:
  std::string ErrorText(const grpc::Status& status) {
    switch (status.error_code()) {
      case grpc::StatusCode::UNAVAILABLE:
        if (channel_->GetState(false) != GRPC_CHANNEL_READY) {
          return absl::StrCat("no relay is running for data directory ",
                              data_dir_, " (nothing listens on socket ",
                              socket_path_, ")");
        }
        break;
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        return "the relay did not answer in time";
      default:
        break;
    }
    if (status.error_message().empty()) {
      return absl::StrCat("the relay refused the request (code ",
                          static_cast<int>(status.error_code()), ")");
    }
    return status.error_message();
  }

  const std::string data_dir_;
  const std::string socket_path_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Admin::Stub> stub_;
};

void SetDeadline(grpc::ClientContext& context,
                 std::chrono::system_clock::duration timeout) {
  context.set_deadline(std::chrono::system_clock::now() + timeout);
}

int CreateOrganisation(Client& client, const Request& req) {
  v1::CreateOrganisationRequest request;
  request.set_name(req.org_name);
  v1::CreateOrganisationResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status =
      client.stub().CreateOrganisation(&context, request, &response);
  return client.Report(status, response, req.json, [&] {
    std::printf(
        "Organisation created / Organisatie aangemaakt: %s\n"
        "Access code / Toegangscode: %s\n"
        "Share this code with all staff; it is shown only once.\n"
        "Deel deze code met alle medewerkers; hij wordt maar één keer "
        "getoond.\n",
        Describe(response.organisation()).c_str(),
        response.access_code().c_str());
  });
}

int ListOrganisations(Client& client, const Request& req) {
  v1::ListOrganisationsResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status = client.stub().ListOrganisations(
      &context, v1::ListOrganisationsRequest(), &response);
  return client.Report(status, response, req.json, [&] {
    if (response.organisations().empty()) {
      std::printf(
          "No organisations yet. / Nog geen organisaties.\n"
          "Create one with: confidant-admin org create NAME\n");
      return;
    }
    std::printf("%-16s  %-10s  %13s  %s\n", "ID", "CREATED", "TRUST PERSONS",
                "NAME");
    for (const v1::Organisation& org : response.organisations()) {
      std::printf("%-16s  %-10s  %13u  %s\n", org.id().c_str(),
                  org.created_day().c_str(), org.trust_person_count(),
                  org.name().c_str());
    }
  });
}

int RotateAccessCode(Client& client, const Request& req) {
  v1::RotateAccessCodeRequest request;
  request.set_organisation(req.org_ref);
  v1::RotateAccessCodeResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status =
      client.stub().RotateAccessCode(&context, request, &response);
  return client.Report(status, response, req.json, [&] {
    std::printf(
        "New access code for %s\n"
        "Access code / Toegangscode: %s\n"
        "The old code no longer works; accounts already registered keep "
        "working.\n"
        "De oude code werkt niet meer; bestaande accounts blijven werken.\n"
        "Share the new code with all staff. / Deel de nieuwe code met alle "
        "medewerkers.\n",
        Describe(response.organisation()).c_str(),
        response.access_code().c_str());
  });
}

int CreateInvite(Client& client, const Request& req) {
  v1::CreateInviteRequest request;
  for (const std::string& org : req.invite_orgs) request.add_organisations(org);
  request.set_valid_days(req.valid_days);
  v1::CreateInviteResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status =
      client.stub().CreateInvite(&context, request, &response);
  return client.Report(status, response, req.json, [&] {
    std::printf("Trust-person invite / Uitnodiging vertrouwenspersoon: %s\n",
                response.invite_code().c_str());
    std::printf("For / Voor:\n");
    for (const v1::Organisation& org : response.organisations()) {
      std::printf("  %s\n", Describe(org).c_str());
    }
    std::printf(
        "Valid until / Geldig tot: %s (UTC)\n"
        "Give it only to the trust person; it works once.\n"
        "Geef deze code alleen aan de vertrouwenspersoon; hij werkt één "
        "keer.\n",
        response.expires().c_str());
  });
}

int GetStats(Client& client, const Request& req) {
  v1::GetStatsResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status =
      client.stub().GetStats(&context, v1::GetStatsRequest(), &response);
  return client.Report(status, response, req.json, [&] {
    const auto line = [](const char* label, const std::string& value) {
      std::printf("%-45s %s\n", label, value.c_str());
    };
    line("Organisations / Organisaties:",
         absl::StrCat(response.organisations()));
    line("Employee accounts / Medewerkers:",
         absl::StrCat(response.employee_accounts()));
    line("Trust-person accounts / Vertrouwenspersonen:",
         absl::StrCat(response.trust_person_accounts()));
    line("Queued envelopes / Berichten in de wachtrij:",
         absl::StrCat(response.queued_envelopes()));
    line("Open invites / Openstaande uitnodigingen:",
         absl::StrCat(response.open_invites()));
    line("Disk use / Schijfgebruik:", FormatBytes(response.bytes_on_disk()));
  });
}

int Backup(Client& client, const Request& req) {
  std::error_code ec;
  const std::filesystem::path target =
      std::filesystem::absolute(req.backup_dir, ec);
  if (ec) {
    PrintError(
        absl::StrCat("cannot resolve ", req.backup_dir, ": ", ec.message()));
    return kExitFailure;
  }
  v1::BackupRequest request;
  request.set_target_dir(target.lexically_normal().string());
  v1::BackupResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kBackupDeadline);
  const grpc::Status status =
      client.stub().Backup(&context, request, &response);
  return client.Report(status, response, req.json, [&] {
    std::printf(
        "Backup written to %s (%s).\n"
        "Back-up geschreven naar %s.\n",
        response.target_dir().c_str(), FormatBytes(response.bytes()).c_str(),
        response.target_dir().c_str());
  });
}

// "2026-12-01 13:00 UTC" for an hour since the Unix epoch.
std::string DateHour(uint32_t hour) {
  return absl::FormatTime(
      "%Y-%m-%d %H:00 UTC",
      absl::FromUnixSeconds(static_cast<int64_t>(hour) * 3600),
      absl::UTCTimeZone());
}

int ShowRelayKeys(Client& client, const Request& req) {
  v1::GetAdminRelayKeysResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status = client.stub().GetRelayKeys(
      &context, v1::GetAdminRelayKeysRequest(), &response);
  return client.Report(status, response, req.json, [&] {
    std::printf(
        "Relay key fingerprint / Vingerafdruk relaysleutel:\n  %s\n"
        "Publish it beside your trust persons' fingerprints; clients check "
        "it when they join.\n"
        "Publiceer hem naast de vingerafdrukken van uw "
        "vertrouwenspersonen.\n\n",
        response.root_fingerprint().c_str());
    std::printf("%-4s  %-49s  %s\n", "KEY", "FINGERPRINT", "SIGNING SINCE");
    for (int i = 0; i < response.keys_size(); ++i) {
      const v1::AdminRelayKey& key = response.keys(i);
      std::printf("%-4u  %-49s  %s%s\n", key.id(), key.fingerprint().c_str(),
                  DateHour(key.created_hour()).c_str(),
                  i + 1 == response.keys_size() ? "  (current)" : "");
    }
  });
}

int RotateRelayKey(Client& client, const Request& req) {
  v1::RotateRelayKeyResponse response;
  grpc::ClientContext context;
  SetDeadline(context, kCallDeadline);
  const grpc::Status status = client.stub().RotateRelayKey(
      &context, v1::RotateRelayKeyRequest(), &response);
  return client.Report(status, response, req.json, [&] {
    std::printf(
        "Relay key %u made / Relaysleutel %u aangemaakt: %s\n"
        "New sender certificates are signed with it; those of the previous "
        "key stay valid until they expire (at most 7 days), and its private "
        "half is deleted.\n"
        "The published fingerprint stays the same / De gepubliceerde "
        "vingerafdruk blijft gelijk:\n  %s\n"
        "Make a new backup: older ones hold the previous key.\n"
        "Maak een nieuwe back-up: oudere bevatten de vorige sleutel.\n",
        response.key().id(), response.key().id(),
        response.key().fingerprint().c_str(),
        response.root_fingerprint().c_str());
  });
}

// Checks that a relay may be listening for `data_dir`; prints why not.
bool CheckSocket(const std::string& data_dir, const std::string& socket_path) {
  if (socket_path.size() > server::kMaxUnixSocketPathSize) {
    PrintError(absl::StrCat("the admin socket path ", socket_path,
                            " is longer than Unix sockets allow (",
                            server::kMaxUnixSocketPathSize, " bytes)"));
    return false;
  }
  struct stat st;
  if (stat(socket_path.c_str(), &st) != 0) {
    if (errno == EACCES) {
      PrintError(absl::StrCat("permission denied on ", socket_path,
                              ": run confidant-admin as the relay's user"));
    } else {
      PrintError(absl::StrCat("no relay is running for data directory ",
                              data_dir, " (socket ", socket_path,
                              " not found)"));
    }
    return false;
  }
  if (!S_ISSOCK(st.st_mode)) {
    PrintError(absl::StrCat(socket_path, " is not a socket"));
    return false;
  }
  if (access(socket_path.c_str(), W_OK) != 0) {
    PrintError(absl::StrCat("permission denied on ", socket_path,
                            ": run confidant-admin as the relay's user"));
    return false;
  }
  return true;
}

int Main(int argc, char** argv) {
  Request req;
  CLI::App app(
      "Administers a running Confidant relay through its admin "
      "socket.",
      "confidant-admin");
  app.failure_message(CLI::FailureMessage::help);
  app.fallthrough();
  app.add_option("--data-dir", req.data_dir, "The relay's data directory")
      ->envname("CONFIDANT_DATA_DIR")
      ->required();
  app.add_flag("--json", req.json, "Print one JSON document instead of text");

  CLI::App* org = app.add_subcommand("org", "Organisations");
  CLI::App* org_create = org->add_subcommand(
      "create", "Create an organisation and its access code");
  org_create->add_option("NAME", req.org_name, "Organisation name")->required();
  CLI::App* org_list = org->add_subcommand("list", "List organisations");
  CLI::App* org_rotate = org->add_subcommand(
      "rotate-code", "Replace an organisation's access code");
  org_rotate->add_option("ORG", req.org_ref, "Organisation id or exact name")
      ->required();

  CLI::App* invite = app.add_subcommand("invite", "Trust-person invites");
  CLI::App* invite_create =
      invite->add_subcommand("create", "Create a one-time trust-person invite");
  invite_create
      ->add_option("--org", req.invite_orgs,
                   "Organisation id or exact name (repeat for several)")
      ->required();
  invite_create
      ->add_option("--valid-days", req.valid_days,
                   "Days the invite stays valid (default 7)")
      ->check(CLI::Range(1, 30));

  CLI::App* stats = app.add_subcommand("stats", "Show counts");
  CLI::App* backup = app.add_subcommand(
      "backup", "Write a consistent backup to a new directory");
  backup->add_option("DIR", req.backup_dir, "Directory to create")->required();

  CLI::App* relay_key = app.add_subcommand(
      "relay-key", "The relay's signing key for sender certificates");
  CLI::App* relay_key_show = relay_key->add_subcommand(
      "show", "Show the fingerprint to publish and every relay key");
  CLI::App* relay_key_rotate = relay_key->add_subcommand(
      "rotate", "Make a new signing key, endorsed by the current one");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (req.data_dir.empty()) {
    PrintError("--data-dir is empty");
    return kExitUsage;
  }

  int (*command)(Client&, const Request&) = nullptr;
  if (org_create->parsed()) command = &CreateOrganisation;
  if (org_list->parsed()) command = &ListOrganisations;
  if (org_rotate->parsed()) command = &RotateAccessCode;
  if (invite_create->parsed()) command = &CreateInvite;
  if (stats->parsed()) command = &GetStats;
  if (backup->parsed()) command = &Backup;
  if (relay_key_show->parsed()) command = &ShowRelayKeys;
  if (relay_key_rotate->parsed()) command = &RotateRelayKey;
  if (command == nullptr) {
    std::fprintf(stderr, "ERROR: a command is required\n%s",
                 app.help().c_str());
    return kExitUsage;
  }

  const std::string socket_path = server::AdminSocketPath(req.data_dir);
  if (!CheckSocket(req.data_dir, socket_path)) return kExitFailure;
  Client client(req.data_dir, socket_path);
  return command(client, req);
}

}  // namespace
}  // namespace confidant::admin

int main(int argc, char** argv) {
  try {
    return confidant::admin::Main(argc, argv);
  } catch (const std::exception& e) {
    confidant::admin::PrintError(e.what());
    return 1;
  }
}
