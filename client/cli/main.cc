// confidant: the command-line client for employees and trust persons. Every
// command opens the encrypted profile, does one thing and exits; see
// docs/cli.md.
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/certificates.h"
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/messenger.h"
#include "client/profile_account_state.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "crypto/message_crypto.h"
#include "crypto/safety_number.h"
#include "crypto/secret.h"
#include "crypto/session.h"

namespace confidant::cli {
namespace {

using client::AccountKind;
using client::CaseMessage;
using client::CaseSummary;
using client::Namespace;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr char kDefaultRelay[] = "127.0.0.1:7443";
constexpr char kDefaultOpening[] = "Nieuwe melding / New case";
constexpr char kSettingsKey[] = "cli.settings";

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted.store(true); }

void PrintError(const std::string& message) {
  std::string line = absl::StrReplaceAll(message, {{"\r", " "}, {"\n", " "}});
  std::fprintf(stderr, "confidant: %s\n", line.c_str());
}

// Lowercase hex of `bytes`.
std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

// The bytes of `hex` (even length, hex digits only), or nullopt.
std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// A JSON string literal for `s` (UTF-8 passed through, controls escaped).
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static constexpr char kDigits[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kDigits[c >> 4]);
          out.push_back(kDigits[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

// Builds one JSON object, members in insertion order.
class JsonObject {
 public:
  JsonObject& Str(std::string_view key, std::string_view value) {
    return Raw(key, JsonString(value));
  }
  JsonObject& Int(std::string_view key, int64_t value) {
    return Raw(key, absl::StrCat(value));
  }
  JsonObject& Bool(std::string_view key, bool value) {
    return Raw(key, value ? "true" : "false");
  }
  JsonObject& Raw(std::string_view key, std::string_view json) {
    if (!body_.empty()) body_ += ",";
    absl::StrAppend(&body_, JsonString(key), ":", std::string(json));
    return *this;
  }
  std::string Build() const { return absl::StrCat("{", body_, "}"); }

 private:
  std::string body_;
};

std::string JsonArray(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

std::string JsonStrings(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(JsonString(s));
  return JsonArray(quoted);
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string KindName(AccountKind kind) {
  switch (kind) {
    case AccountKind::kEmployee:
      return "employee";
    case AccountKind::kTrustPerson:
      return "trust-person";
    default:
      return "unknown";
  }
}

std::string AffiliationName(client::Affiliation a) {
  switch (a) {
    case client::Affiliation::kInternal:
      return "internal";
    case client::Affiliation::kExternal:
      return "external";
    default:
      return "unspecified";
  }
}

std::string DirectionName(client::Direction d) {
  return d == client::Direction::kIncoming ? "incoming" : "outgoing";
}

std::string DeliveryName(client::DeliveryState d) {
  switch (d) {
    case client::DeliveryState::kSent:
      return "sent";
    case client::DeliveryState::kDelivered:
      return "delivered";
    default:
      return "received";
  }
}

std::string StatusName(client::CaseStatus s) {
  return s == client::CaseStatus::kClosed ? "closed" : "open";
}

// What the command line asked for.
struct Request {
  std::string profile;
  std::string relay;
  std::string tls_ca;
  std::string proxy;
  std::string passphrase_file;
  bool insecure = false;
  bool json = false;
  bool relay_given = false;
  bool tls_ca_given = false;
  bool proxy_given = false;

  std::string invite;
  std::string name;
  std::string kind = "internal";
  std::string languages = "nl";
  std::string intro;
  std::string access_code;
  std::string relay_key;
  std::string to;
  std::optional<std::string> message;
  std::string case_id;
  std::string number;
  std::string text;
  bool follow = false;
  double timeout_seconds = 0;
};

// Connection settings remembered in the profile from enroll/join.
struct Settings {
  std::string relay = kDefaultRelay;
  std::string tls_ca;
  std::string proxy;
  bool insecure = false;

  std::string Encode() const {
    return absl::StrCat("relay=", relay, "\ntls_ca=", tls_ca, "\nproxy=", proxy,
                        "\ninsecure=", insecure ? 1 : 0, "\n");
  }
  static Settings Decode(const std::string& encoded) {
    Settings s;
    const std::vector<std::string> lines = absl::StrSplit(encoded, '\n');
    for (const std::string& line : lines) {
      std::pair<std::string, std::string> kv =
          absl::StrSplit(line, absl::MaxSplits('=', 1));
      if (kv.first == "relay") s.relay = kv.second;
      if (kv.first == "tls_ca") s.tls_ca = kv.second;
      if (kv.first == "proxy") s.proxy = kv.second;
      if (kv.first == "insecure") s.insecure = kv.second == "1";
    }
    return s;
  }
};

// The effective settings: command-line options over stored ones.
Settings Effective(const Request& req, const Settings& stored) {
  Settings s = stored;
  if (req.relay_given) s.relay = req.relay;
  if (req.tls_ca_given) s.tls_ca = req.tls_ca;
  if (req.proxy_given) s.proxy = req.proxy;
  if (req.insecure) s.insecure = true;
  return s;
}

std::string DefaultProfileDir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg != '\0') return absl::StrCat(xdg, "/confidant");
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return absl::StrCat(home, "/.local/share/confidant");
}

// Reads a passphrase from the terminal without echo, a byte at a time into
// secret memory: no stream buffer or growing string keeps a copy.
absl::StatusOr<crypto::SecretBytes> Prompt(const char* question) {
  constexpr size_t kMaxPassphrase = 1024;
  std::fprintf(stderr, "%s", question);
  std::fflush(stderr);
  termios old_attr;
  bool restore = tcgetattr(STDIN_FILENO, &old_attr) == 0;
  if (restore) {
    termios no_echo = old_attr;
    no_echo.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &no_echo);
  }
  crypto::SecretBytes buffer(kMaxPassphrase);
  size_t size = 0;
  bool got = false;
  bool too_long = false;
  for (;;) {
    uint8_t c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got = true;
    if (c == '\n') break;
    if (size == buffer.size()) {
      too_long = true;
    } else {
      buffer.data()[size++] = c;
    }
    crypto::WipeBytes(&c, 1);
  }
  if (restore) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_attr);
  std::fprintf(stderr, "\n");
  if (!got) return absl::InvalidArgumentError("no passphrase entered");
  if (too_long) {
    return absl::InvalidArgumentError(
        absl::StrCat("passphrase longer than ", kMaxPassphrase, " bytes"));
  }
  while (size > 0 && buffer.data()[size - 1] == '\r') --size;
  return crypto::SecretBytes::CopyOf(buffer.view().substr(0, size));
}

void StripNewline(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}

// The passphrase from --passphrase-file, CONFIDANT_PASSPHRASE or the
// terminal (asked twice when `confirm`). The variable is wiped and removed
// from the environment once read, so child processes never see it.
absl::StatusOr<crypto::SecretBytes> GetPassphrase(const Request& req,
                                                  bool confirm) {
  crypto::SecretBytes pass;
  if (!req.passphrase_file.empty()) {
    constexpr size_t kMaxFile = 4096;
    std::FILE* file = std::fopen(req.passphrase_file.c_str(), "rbe");
    if (file == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read passphrase file ", req.passphrase_file));
    }
    // Unbuffered: the bytes go from the kernel straight into secret memory.
    std::setvbuf(file, nullptr, _IONBF, 0);
    crypto::SecretBytes buffer(kMaxFile + 1);
    const size_t size_read = std::fread(buffer.data(), 1, buffer.size(), file);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    size_t size = size_read;
    if (failed) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read passphrase file ", req.passphrase_file));
    }
    if (size > kMaxFile) {
      return absl::InvalidArgumentError(
          absl::StrCat("passphrase file ", req.passphrase_file, " is over ",
                       kMaxFile, " bytes"));
    }
    while (size > 0 && (buffer.data()[size - 1] == '\n' ||
                        buffer.data()[size - 1] == '\r')) {
      --size;
    }
    pass = crypto::SecretBytes::CopyOf(buffer.view().substr(0, size));
  } else if (char* env = std::getenv("CONFIDANT_PASSPHRASE"); env != nullptr) {
    const size_t size = std::strlen(env);
    pass = crypto::SecretBytes::CopyOf(std::string_view(env, size));
    crypto::WipeBytes(env, size);
    ::unsetenv("CONFIDANT_PASSPHRASE");
  } else if (isatty(STDIN_FILENO)) {
    absl::StatusOr<crypto::SecretBytes> first =
        Prompt("Passphrase / wachtwoordzin: ");
    if (!first.ok()) return first.status();
    pass = *std::move(first);
    if (confirm) {
      absl::StatusOr<crypto::SecretBytes> second =
          Prompt("Repeat passphrase / herhaal wachtwoordzin: ");
      if (!second.ok()) return second.status();
      if (!second->Equals(pass)) {
        return absl::InvalidArgumentError("the passphrases differ");
      }
    }
  } else {
    return absl::InvalidArgumentError(
        "no passphrase: stdin is not a terminal; use --passphrase-file or "
        "CONFIDANT_PASSPHRASE");
  }
  if (pass.empty()) return absl::InvalidArgumentError("empty passphrase");
  return pass;
}

// One installation's stack over an open profile. Members in dependency order:
// destruction runs from the messenger down to the transport.
struct Client {
  std::string profile_dir;
  // Set by enroll and join: the pinned relay key's fingerprint.
  std::string relay_fingerprint;
  Settings settings;
  std::unique_ptr<client::RelayTransport> transport;
  std::unique_ptr<client::ProfileStore> profile;
  std::unique_ptr<client::PersistentCryptoStore> store;
  std::unique_ptr<client::ProfileAccountStateStore> state_store;
  std::unique_ptr<client::AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;
  std::unique_ptr<client::CertificateManager> certificates;
  std::unique_ptr<crypto::MessageCrypto> crypto;
  std::unique_ptr<client::Messenger> messenger;

  std::string id() const { return account->state().account_id; }

  void CloseProfile() {
    messenger.reset();
    crypto.reset();
    certificates.reset();
    sessions.reset();
    account.reset();
    state_store.reset();
    store.reset();
    profile.reset();
  }
};

absl::StatusOr<std::unique_ptr<client::RelayTransport>> MakeTransport(
    const Settings& s) {
  client::GrpcTransportOptions options;
  options.address = s.relay;
  options.tls_ca_file = s.tls_ca;
  options.http_proxy = s.proxy;
  options.insecure = s.insecure;
  return client::CreateGrpcTransport(options);
}

// Builds account manager and sessions on `c.profile` and `c.store`.
absl::Status OpenAccount(Client& c) {
  c.state_store =
      std::make_unique<client::ProfileAccountStateStore>(*c.profile);
  auto account = client::AccountManager::Open(*c.transport, *c.state_store,
                                              *c.store, *c.store, *c.store);
  if (!account.ok()) return account.status();
  c.account = *std::move(account);
  auto sessions =
      crypto::SessionManager::Create(*c.store, *c.store, *c.store, *c.store);
  if (!sessions.ok()) return sessions.status();
  c.sessions = *std::move(sessions);
  return absl::OkStatus();
}

// Needs a registered account.
absl::Status StartMessenger(Client& c) {
  absl::StatusOr<crypto::IdentityKeyPair> identity = c.store->LocalIdentity();
  if (!identity.ok()) return identity.status();
  auto certificates = client::CertificateManager::Open(
      *c.transport, *c.profile, c.id(), identity->public_key());
  if (!certificates.ok()) return certificates.status();
  c.certificates = *std::move(certificates);
  c.crypto = std::make_unique<crypto::MessageCrypto>(
      *c.sessions, c.certificates->verifier(), c.id(), *std::move(identity));
  c.messenger = std::make_unique<client::Messenger>(
      *c.transport, *c.profile, *c.sessions, *c.crypto, *c.certificates, c.id(),
      c.account->state().kind);
  return absl::OkStatus();
}

std::string ProfileDir(const Request& req) {
  return req.profile.empty() ? DefaultProfileDir() : req.profile;
}

// Opens the existing, registered profile and the whole stack.
absl::StatusOr<std::unique_ptr<Client>> OpenClient(const Request& req) {
  auto c = std::make_unique<Client>();
  c->profile_dir = ProfileDir(req);
  if (c->profile_dir.empty()) {
    return absl::InvalidArgumentError("no profile directory: set --profile");
  }
  absl::StatusOr<crypto::SecretBytes> pass = GetPassphrase(req, false);
  if (!pass.ok()) return pass.status();
  auto profile = client::ProfileStore::Open(c->profile_dir, pass->view());
  if (!profile.ok()) {
    if (absl::IsPermissionDenied(profile.status())) {
      return absl::PermissionDeniedError("wrong passphrase");
    }
    if (absl::IsNotFound(profile.status())) {
      return absl::NotFoundError(
          absl::StrCat("no profile in ", c->profile_dir,
                       "; run `confidant enroll` or `confidant join` first"));
    }
    return profile.status();
  }
  c->profile = *std::move(profile);
  auto stored = c->profile->Get(Namespace::kMeta, kSettingsKey);
  if (!stored.ok()) return stored.status();
  Settings saved;
  if (stored->has_value()) saved = Settings::Decode(**stored);
  c->settings = Effective(req, saved);
  auto transport = MakeTransport(c->settings);
  if (!transport.ok()) return transport.status();
  c->transport = *std::move(transport);
  auto store = client::PersistentCryptoStore::Load(*c->profile);
  if (!store.ok()) return store.status();
  c->store = *std::move(store);
  if (absl::Status s = OpenAccount(*c); !s.ok()) return s;
  if (!c->account->registered()) {
    return absl::FailedPreconditionError(
        "this profile has no registered account; remove it and enroll or join "
        "again");
  }
  if (absl::Status s = StartMessenger(*c); !s.ok()) return s;
  return c;
}

// Creates a profile and registers with `do_register`; removes what it
// created if registration never happened.
absl::StatusOr<std::unique_ptr<Client>> CreateClient(
    const Request& req,
    const std::function<absl::Status(client::AccountManager&)>& do_register) {
  auto c = std::make_unique<Client>();
  c->profile_dir = ProfileDir(req);
  if (c->profile_dir.empty()) {
    return absl::InvalidArgumentError("no profile directory: set --profile");
  }
  c->settings = Effective(req, Settings());
  auto transport = MakeTransport(c->settings);
  if (!transport.ok()) return transport.status();
  c->transport = *std::move(transport);
  absl::StatusOr<crypto::SecretBytes> pass = GetPassphrase(req, true);
  if (!pass.ok()) return pass.status();

  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(c->profile_dir);
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  const bool dir_existed = fs::exists(dir, ec);
  auto profile = client::ProfileStore::Create(c->profile_dir, pass->view());
  if (!profile.ok()) {
    if (absl::IsAlreadyExists(profile.status())) {
      return absl::AlreadyExistsError(
          absl::StrCat("a profile already exists in ", c->profile_dir));
    }
    return profile.status();
  }
  c->profile = *std::move(profile);

  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<client::AccountKeys> keys = client::AccountKeys::Generate();
    if (!keys.ok()) return keys.status();
    auto store = client::PersistentCryptoStore::Create(
        *c->profile, std::move(keys->identity), keys->registration_id);
    if (!store.ok()) return store.status();
    c->store = *std::move(store);
    if (absl::Status s = OpenAccount(*c); !s.ok()) return s;
    if (absl::Status s = c->profile->Put(Namespace::kMeta, kSettingsKey,
                                         c->settings.Encode());
        !s.ok()) {
      return s;
    }
    // The relay's keys are checked before it sees the access code or invite.
    absl::StatusOr<std::string> fingerprint =
        client::PinRelayKeys(*c->transport, *c->profile, req.relay_key);
    if (!fingerprint.ok()) return fingerprint.status();
    c->relay_fingerprint = *std::move(fingerprint);
    return do_register(*c->account);
  }();
  if (status.ok()) status = StartMessenger(*c);
  if (!status.ok()) {
    bool registered = c->account != nullptr && c->account->registered();
    c->CloseProfile();
    if (!registered) {
      fs::remove(dir / client::kProfileHeaderFile, ec);
      fs::remove_all(dir / client::kProfileDatabaseDir, ec);
      if (!dir_existed) fs::remove(dir, ec);
    }
    return status;
  }
  return c;
}

// The case with `hex_id`, or NOT_FOUND "unknown case".
absl::StatusOr<CaseSummary> FindCase(Client& c, const std::string& hex_id) {
  std::optional<std::string> id = Unhex(hex_id);
  absl::StatusOr<std::vector<CaseSummary>> cases = c.messenger->ListCases();
  if (!cases.ok()) return cases.status();
  if (id.has_value()) {
    for (CaseSummary& s : *cases) {
      if (s.case_id == *id) return std::move(s);
    }
  }
  return absl::NotFoundError(absl::StrCat("unknown case ", hex_id));
}

// The safety number between us and `peer_id` with identity key `peer_key`.
absl::StatusOr<crypto::SafetyNumber> SafetyWith(Client& c,
                                                std::string_view peer_id,
                                                std::string_view peer_key) {
  return crypto::ComputeSafetyNumber(Hex(c.id()),
                                     c.crypto->own_identity().public_key(),
                                     Hex(peer_id), peer_key);
}

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string MessageJson(const std::string& case_id, const CaseMessage& m) {
  JsonObject o;
  if (!case_id.empty()) o.Str("case", Hex(case_id));
  return o.Str("id", Hex(m.message_id))
      .Str("direction", DirectionName(m.direction))
      .Str("delivery", DeliveryName(m.delivery))
      .Str("time", TimeText(m.time))
      .Str("body", m.body)
      .Build();
}

std::string MessageText(const CaseMessage& m) {
  const bool in = m.direction == client::Direction::kIncoming;
  return absl::StrCat(TimeText(m.time), "  ", in ? "them -> me" : "me -> them",
                      "  [", DeliveryName(m.delivery), "]  ", m.body, "\n");
}

int Fail(const absl::Status& status) {
  PrintError(status.message().empty() ? status.ToString()
                                      : std::string(status.message()));
  return kExitFailure;
}

// What enroll and join say about the relay key they pinned.
std::string RelayKeyText(const Request& req, const std::string& fingerprint) {
  return absl::StrCat(
      "\nrelay key / relaissleutel: ", fingerprint, "\n",
      req.relay_key.empty()
          ? "compare it with the fingerprint your organisation published / "
            "vergelijk met de vingerafdruk die uw organisatie publiceerde\n"
          : "matches the fingerprint given / komt overeen\n");
}

// ---- commands ----

int Enroll(const Request& req) {
  client::TrustPersonProfile tp;
  tp.display_name = req.name;
  tp.affiliation = req.kind == "external" ? client::Affiliation::kExternal
                                          : client::Affiliation::kInternal;
  const std::vector<std::string> langs =
      absl::StrSplit(req.languages, ',', absl::SkipWhitespace());
  for (const std::string& lang : langs) {
    tp.languages.push_back(
        absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(lang))));
  }
  tp.intro = req.intro;
  auto c = CreateClient(req, [&](client::AccountManager& account) {
    return account.RegisterTrustPerson(req.invite, tp, absl::Now());
  });
  if (!c.ok()) return Fail(c.status());
  const std::string& key = (*c)->crypto->own_identity().public_key();
  absl::StatusOr<crypto::SafetyNumber> self = SafetyWith(**c, (*c)->id(), key);
  if (!self.ok()) return Fail(self.status());
  // Our half of every safety number: the first 6 groups of the one with
  // ourselves.
  const std::string fingerprint = self->Grouped().substr(0, 6 * 6 - 1);
  std::vector<std::string> orgs;
  for (const client::Organisation& o : (*c)->account->state().organisations) {
    orgs.push_back(o.name);
  }
  if (req.json) {
    Print(JsonObject()
              .Str("account_id", Hex((*c)->id()))
              .Str("fingerprint", fingerprint)
              .Str("relay_key", (*c)->relay_fingerprint)
              .Raw("organisations", JsonStrings(orgs))
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat(
        "enrolled as trust person / aangemeld als "
        "vertrouwenspersoon\naccount id:  ",
        Hex((*c)->id()), "\nfingerprint: ", fingerprint, "\norganisations: ",
        absl::StrJoin(orgs, ", "), RelayKeyText(req, (*c)->relay_fingerprint)));
  }
  return kExitOk;
}

int Join(const Request& req) {
  auto c = CreateClient(req, [&](client::AccountManager& account) {
    return account.RegisterEmployee(req.access_code, absl::Now());
  });
  if (!c.ok()) return Fail(c.status());
  std::vector<client::Organisation> orgs = (*c)->account->state().organisations;
  const std::string name = orgs.empty() ? "" : orgs[0].name;
  if (req.json) {
    Print(JsonObject()
              .Str("organisation", name)
              .Str("relay_key", (*c)->relay_fingerprint)
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat("joined organisation ", name,
                       " / aangemeld bij organisatie ", name,
                       RelayKeyText(req, (*c)->relay_fingerprint)));
  }
  return kExitOk;
}

int TrustPersons(const Request& req) {
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<client::TrustPersonList> list =
      (*c)->transport->ListTrustPersons("");
  if (!list.ok()) return Fail(list.status());
  std::vector<std::string> json;
  std::string text = absl::StrCat("Trust persons of / vertrouwenspersonen van ",
                                  list->organisation.name, "\n");
  for (const client::DirectoryEntry& e : list->trust_persons) {
    absl::StatusOr<crypto::SafetyNumber> number =
        SafetyWith(**c, e.account_id, e.identity_key);
    if (!number.ok()) return Fail(number.status());
    const std::string kind = AffiliationName(e.profile.affiliation);
    if (req.json) {
      json.push_back(JsonObject()
                         .Str("id", Hex(e.account_id))
                         .Str("name", e.profile.display_name)
                         .Str("kind", kind)
                         .Raw("languages", JsonStrings(e.profile.languages))
                         .Str("intro", e.profile.intro)
                         .Str("safety_number", number->Grouped())
                         .Build());
    } else {
      absl::StrAppend(
          &text, "\n", Hex(e.account_id),
          "\n  name:      ", e.profile.display_name, "\n  kind:      ", kind,
          "\n  languages: ", absl::StrJoin(e.profile.languages, ","), "\n");
      if (!e.profile.intro.empty()) {
        absl::StrAppend(&text, "  intro:     ", e.profile.intro, "\n");
      }
      absl::StrAppend(&text, "  safety number: ", number->Grouped(), "\n");
    }
  }
  if (req.json) {
    Print(JsonObject()
              .Str("organisation", list->organisation.name)
              .Raw("trust_persons", JsonArray(json))
              .Build() +
          "\n");
  } else {
    Print(text);
  }
  return kExitOk;
}

int Open(const Request& req) {
  std::optional<std::string> to = Unhex(req.to);
  if (!to.has_value() || to->size() != 16) {
    PrintError(absl::StrCat("invalid trust person id ", req.to,
                            " (expected 32 hex characters)"));
    return kExitFailure;
  }
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  const std::string text = req.message.value_or(kDefaultOpening);
  absl::StatusOr<std::string> case_id =
      (*c)->messenger->OpenCase(*to, text, absl::Now());
  if (!case_id.ok()) return Fail(case_id.status());
  if (req.json) {
    Print(JsonObject().Str("case", Hex(*case_id)).Build() + "\n");
  } else {
    Print(Hex(*case_id) + "\n");
  }
  return kExitOk;
}

int Send(const Request& req) {
  std::string text = req.text;
  if (text == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
    StripNewline(text);
  }
  if (text.empty()) {
    PrintError("empty message");
    return kExitFailure;
  }
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<CaseSummary> s = FindCase(**c, req.case_id);
  if (!s.ok()) return Fail(s.status());
  if (s->identity_changed) {
    PrintError(absl::StrCat(
        "the safety number of case ", req.case_id,
        " changed; compare it (`confidant safety-number`) and run `confidant "
        "verify --number ...` before sending"));
    return kExitFailure;
  }
  absl::Status sent = (*c)->messenger->SendText(s->case_id, text, absl::Now());
  if (!sent.ok()) return Fail(sent);
  if (req.json) {
    Print(
        JsonObject().Str("case", req.case_id).Str("delivery", "sent").Build() +
        "\n");
  } else {
    Print("sent / verzonden\n");
  }
  return kExitOk;
}

int Cases(const Request& req) {
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<std::vector<CaseSummary>> cases = (*c)->messenger->ListCases();
  if (!cases.ok()) return Fail(cases.status());
  std::vector<std::string> json;
  std::string text;
  for (const CaseSummary& s : *cases) {
    if (req.json) {
      json.push_back(JsonObject()
                         .Str("case", Hex(s.case_id))
                         .Str("peer", Hex(s.peer_account_id))
                         .Str("status", StatusName(s.status))
                         .Int("unread", s.unread_count)
                         .Str("last_activity", TimeText(s.last_activity))
                         .Bool("opened_by_me", s.opened_by_us)
                         .Bool("safety_number_changed", s.identity_changed)
                         .Int("held", s.held_messages)
                         .Bool("unsolicited", s.unsolicited)
                         .Build());
    } else {
      absl::StrAppend(
          &text, Hex(s.case_id), "  peer ", Hex(s.peer_account_id), "  ",
          StatusName(s.status), "  unread ", s.unread_count, "  last ",
          TimeText(s.last_activity),
          s.identity_changed ? absl::StrCat("  SAFETY NUMBER CHANGED (",
                                            s.held_messages, " waiting)")
                             : "",
          s.unsolicited ? "  FIRST CONTACT BY TRUST PERSON" : "", "\n");
    }
  }
  if (req.json) {
    Print(JsonObject().Raw("cases", JsonArray(json)).Build() + "\n");
  } else {
    Print(cases->empty() ? "no cases / geen meldingen\n" : text);
  }
  return kExitOk;
}

int Read(const Request& req) {
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<CaseSummary> s = FindCase(**c, req.case_id);
  if (!s.ok()) return Fail(s.status());
  absl::StatusOr<std::vector<CaseMessage>> messages =
      (*c)->messenger->ReadCase(s->case_id);
  if (!messages.ok()) return Fail(messages.status());
  if (absl::Status marked = (*c)->messenger->MarkRead(s->case_id);
      !marked.ok()) {
    return Fail(marked);
  }
  if (req.json) {
    std::vector<std::string> items;
    for (const CaseMessage& m : *messages) items.push_back(MessageJson("", m));
    Print(JsonObject()
              .Str("case", Hex(s->case_id))
              .Raw("messages", JsonArray(items))
              .Build() +
          "\n");
  } else {
    std::string text;
    for (const CaseMessage& m : *messages) text += MessageText(m);
    Print(text);
  }
  return kExitOk;
}

// Per case, how many messages the profile holds.
using Counts = std::map<std::string, size_t>;

// The incoming messages not counted in `counts`; updates `counts`.
absl::Status CollectNew(Client& c, Counts& counts,
                        std::vector<std::pair<std::string, CaseMessage>>* out) {
  absl::StatusOr<std::vector<CaseSummary>> cases = c.messenger->ListCases();
  if (!cases.ok()) return cases.status();
  for (const CaseSummary& s : *cases) {
    absl::StatusOr<std::vector<CaseMessage>> messages =
        c.messenger->ReadCase(s.case_id);
    if (!messages.ok()) return messages.status();
    size_t& known = counts[s.case_id];
    if (out != nullptr) {
      for (size_t i = known; i < messages->size(); ++i) {
        if ((*messages)[i].direction == client::Direction::kIncoming) {
          out->emplace_back(s.case_id, std::move((*messages)[i]));
        }
      }
    }
    known = messages->size();
  }
  return absl::OkStatus();
}

int Sync(const Request& req) {
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  Client& cl = **c;
  absl::StatusOr<client::MaintenanceReport> maintained =
      cl.account->Maintain(absl::Now());
  if (!maintained.ok()) return Fail(maintained.status());
  Counts counts;
  if (absl::Status s = CollectNew(cl, counts, nullptr); !s.ok()) return Fail(s);

  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  if (req.follow) sigaction(SIGINT, &action, nullptr);
  const absl::Time deadline =
      req.timeout_seconds > 0 ? absl::Now() + absl::Seconds(req.timeout_seconds)
                              : absl::InfiniteFuture();
  client::SyncReport total;
  std::vector<std::pair<std::string, CaseMessage>> fresh;
  std::map<std::string, int> new_per_case;
  while (true) {
    absl::StatusOr<client::SyncReport> report = cl.messenger->Sync(absl::Now());
    if (!report.ok()) return Fail(report.status());
    total.received += report->received;
    total.duplicates += report->duplicates;
    total.dropped += report->dropped;
    total.receipts += report->receipts;
    total.identity_changes += report->identity_changes;
    total.held_dropped += report->held_dropped;
    total.unsolicited += report->unsolicited;
    std::vector<std::pair<std::string, CaseMessage>> batch;
    if (absl::Status s = CollectNew(cl, counts, &batch); !s.ok()) {
      return Fail(s);
    }
    for (auto& [case_id, m] : batch) {
      ++new_per_case[case_id];
      if (req.follow && !req.json) {
        Print(absl::StrCat(Hex(case_id), "  ", MessageText(m)));
      }
      fresh.emplace_back(case_id, std::move(m));
    }
    if (!req.follow) break;
    // While waiting, make the sealed layer's keys for the next replies.
    if (absl::Status s = cl.messenger->PrepareForSending(); !s.ok()) {
      return Fail(s);
    }
    const absl::Time next = std::min(absl::Now() + absl::Seconds(1), deadline);
    while (!g_interrupted.load() && absl::Now() < next) {
      absl::SleepFor(absl::Milliseconds(100));
    }
    if (g_interrupted.load() || absl::Now() >= deadline) break;
  }

  std::vector<std::string> cases_json;
  std::string text;
  for (const auto& [case_id, n] : new_per_case) {
    cases_json.push_back(
        JsonObject().Str("case", Hex(case_id)).Int("new", n).Build());
    if (!req.follow) {
      absl::StrAppend(&text, Hex(case_id), "  ", n, " new / nieuw\n");
    }
  }
  if (req.json) {
    std::vector<std::string> messages;
    if (req.follow) {
      for (const auto& [case_id, m] : fresh) {
        messages.push_back(MessageJson(case_id, m));
      }
    }
    Print(JsonObject()
              .Int("received", total.received)
              .Int("receipts", total.receipts)
              .Int("dropped", total.dropped)
              .Int("identity_changes", total.identity_changes)
              .Int("unsolicited", total.unsolicited)
              .Raw("cases", JsonArray(cases_json))
              .Raw("messages", JsonArray(messages))
              .Build() +
          "\n");
  } else {
    absl::StrAppend(&text, "synced: ", total.received,
                    " new message(s) / nieuwe bericht(en), ", total.receipts,
                    " receipt(s)\n");
    if (total.dropped > 0) {
      absl::StrAppend(&text, total.dropped,
                      " unreadable message(s) dropped / onleesbaar\n");
    }
    if (total.unsolicited > 0) {
      absl::StrAppend(
          &text, total.unsolicited,
          " case(s) opened by a trust person you never wrote to: be careful "
          "/ melding(en) geopend door een vertrouwenspersoon aan wie u nooit "
          "schreef: wees voorzichtig\n");
    }
    if (total.identity_changes > 0) {
      absl::StrAppend(&text,
                      "a safety number changed: see `confidant cases` and "
                      "`confidant safety-number` / veiligheidsnummer "
                      "gewijzigd\n");
    }
    Print(text);
  }
  return kExitOk;
}

int SafetyNumberCmd(const Request& req, bool verify) {
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<CaseSummary> s = FindCase(**c, req.case_id);
  if (!s.ok()) return Fail(s.status());
  client::SyncReport replayed;
  if (verify) {
    absl::StatusOr<client::SyncReport> verified =
        (*c)->messenger->VerifySafetyNumber(s->case_id, req.number,
                                            absl::Now());
    if (!verified.ok()) return Fail(verified.status());
    replayed = *std::move(verified);
  }
  absl::StatusOr<client::SafetyNumberState> state =
      (*c)->messenger->SafetyNumber(s->case_id);
  if (!state.ok()) return Fail(state.status());
  const std::string grouped = state->number.Grouped();
  if (req.json) {
    Print(JsonObject()
              .Str("case", Hex(s->case_id))
              .Str("safety_number", grouped)
              .Bool("verified", state->verified)
              .Bool("changed", state->changed)
              .Int("received", replayed.received)
              .Build() +
          "\n");
  } else if (verify) {
    Print(absl::StrCat(
        "verified / geverifieerd: ", grouped, "\n",
        s->identity_changed
            ? absl::StrCat("the case is unblocked / melding gedeblokkeerd; ",
                           replayed.received,
                           " waiting message(s) received / ontvangen\n")
            : ""));
  } else {
    Print(absl::StrCat(grouped, "\n",
                       state->changed
                           ? "CHANGED: compare it, then run `confidant verify "
                             "--number ...` with the number you compared / "
                             "GEWIJZIGD\n"
                           : "",
                       state->verified ? "verified / geverifieerd\n"
                                       : "not verified / niet geverifieerd\n"));
  }
  return kExitOk;
}

int WhoAmI(const Request& req) {
  auto c = OpenClient(req);
  if (!c.ok()) return Fail(c.status());
  client::AccountState state = (*c)->account->state();
  std::vector<std::string> orgs;
  for (const client::Organisation& o : state.organisations) {
    orgs.push_back(o.name);
  }
  const std::string role = KindName(state.kind);
  if (req.json) {
    Print(JsonObject()
              .Str("role", role)
              .Raw("organisations", JsonStrings(orgs))
              .Str("relay", (*c)->settings.relay)
              .Str("account_id", Hex(state.account_id))
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat("role:          ", role,
                       "\norganisations: ", absl::StrJoin(orgs, ", "),
                       "\nrelay:         ", (*c)->settings.relay,
                       "\naccount id:    ", Hex(state.account_id), "\n"));
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  Request req;
  CLI::App app(
      "Confidant: anonymous, end-to-end encrypted reports to a trust person "
      "(vertrouwenspersoon).",
      "confidant");
  app.failure_message(CLI::FailureMessage::help);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--profile", req.profile,
                 "Profile directory (default $XDG_DATA_HOME/confidant or "
                 "~/.local/share/confidant)");
  CLI::Option* relay = app.add_option(
      "--relay", req.relay, "Relay HOST:PORT (default 127.0.0.1:7443)");
  CLI::Option* tls_ca =
      app.add_option("--tls-ca", req.tls_ca, "PEM file of CAs to trust");
  app.add_flag("--insecure", req.insecure, "Plaintext (loopback relay only)");
  CLI::Option* proxy = app.add_option(
      "--proxy", req.proxy, "HTTP CONNECT proxy http://HOST:PORT (e.g. Tor)");
  app.add_option("--passphrase-file", req.passphrase_file,
                 "Read the passphrase from this file");
  app.add_flag("--json", req.json, "Print one JSON document");

  CLI::App* enroll =
      app.add_subcommand("enroll", "Register as trust person with an invite");
  enroll->add_option("--invite", req.invite, "Invite code")->required();
  enroll->add_option("--name", req.name, "Display name")->required();
  enroll->add_option("--kind", req.kind, "internal or external")
      ->check(CLI::IsMember({"internal", "external"}));
  enroll->add_option("--languages", req.languages,
                     "Comma-separated ISO 639-1 codes (default nl)");
  enroll->add_option("--intro", req.intro, "Short introduction");

  CLI::App* join =
      app.add_subcommand("join", "Join an organisation as employee");
  join->add_option("--access-code", req.access_code, "Access code")->required();
  for (CLI::App* sub : {enroll, join}) {
    sub->add_option("--relay-key", req.relay_key,
                    "The relay key fingerprint your organisation published; "
                    "refuse a relay with another one");
  }

  CLI::App* trust_persons =
      app.add_subcommand("trust-persons", "List the trust persons");
  CLI::App* open =
      app.add_subcommand("open", "Open a case with a trust person");
  open->add_option("--to", req.to, "Trust person id")->required();
  open->add_option("--message", req.message, "First message");

  CLI::App* send = app.add_subcommand("send", "Send a message in a case");
  send->add_option("--case", req.case_id, "Case id")->required();
  send->add_option("TEXT", req.text, "Message, or - for stdin")->required();

  CLI::App* cases = app.add_subcommand("cases", "List cases");
  CLI::App* read =
      app.add_subcommand("read", "Show a case's messages and mark them read");
  read->add_option("--case", req.case_id, "Case id")->required();

  CLI::App* sync = app.add_subcommand("sync", "Fetch new messages");
  sync->add_flag("--follow", req.follow, "Keep fetching until SIGINT/timeout");
  sync->add_option("--timeout", req.timeout_seconds,
                   "Stop --follow after this many seconds")
      ->check(CLI::PositiveNumber);

  CLI::App* safety = app.add_subcommand(
      "safety-number", "Show a case's safety number (veiligheidsnummer)");
  safety->add_option("--case", req.case_id, "Case id")->required();
  CLI::App* verify =
      app.add_subcommand("verify", "Mark a case's safety number as verified");
  verify->add_option("--case", req.case_id, "Case id")->required();
  verify
      ->add_option("--number", req.number,
                   "The safety number you compared (60 digits; spaces "
                   "allowed)")
      ->required();

  CLI::App* whoami = app.add_subcommand("whoami", "Show this profile");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  req.relay_given = relay->count() > 0;
  req.tls_ca_given = tls_ca->count() > 0;
  req.proxy_given = proxy->count() > 0;

  if (enroll->parsed()) return Enroll(req);
  if (join->parsed()) return Join(req);
  if (trust_persons->parsed()) return TrustPersons(req);
  if (open->parsed()) return Open(req);
  if (send->parsed()) return Send(req);
  if (cases->parsed()) return Cases(req);
  if (read->parsed()) return Read(req);
  if (sync->parsed()) return Sync(req);
  if (safety->parsed()) return SafetyNumberCmd(req, false);
  if (verify->parsed()) return SafetyNumberCmd(req, true);
  if (whoami->parsed()) return WhoAmI(req);
  std::fprintf(stderr, "%s", app.help().c_str());
  return kExitUsage;
}

}  // namespace
}  // namespace confidant::cli

int main(int argc, char** argv) {
  try {
    return confidant::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    confidant::cli::PrintError(e.what());
    return 1;
  }
}
