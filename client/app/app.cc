// The App's stack, how it is opened or created, and the user's local
// actions. The live threads are in app_live.cc.
#include "client/app/app.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/app/app_stack.h"
#include "client/certificates.h"
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/profile_account_state.h"
#include "client/profile_store.h"

namespace confidant::client {
namespace {

namespace fs = std::filesystem;

ConnectionSettings Effective(const ConnectionSettings& stored,
                             const AppOptions& options) {
  ConnectionSettings s = stored;
  if (options.relay.has_value()) s.relay = *options.relay;
  if (options.tls_ca.has_value()) s.tls_ca = *options.tls_ca;
  if (options.proxy.has_value()) s.proxy = *options.proxy;
  if (options.insecure) s.insecure = true;
  return s;
}

absl::StatusOr<std::unique_ptr<RelayTransport>> MakeTransport(
    const ConnectionSettings& s, const AppOptions& options) {
  if (options.make_transport) return options.make_transport(s);
  GrpcTransportOptions grpc;
  grpc.address = s.relay;
  grpc.tls_ca_file = s.tls_ca;
  grpc.http_proxy = s.proxy;
  grpc.insecure = s.insecure;
  return CreateGrpcTransport(grpc);
}

}  // namespace

void AppStack::Close() {
  case_files.reset();
  messenger.reset();
  crypto.reset();
  certificates.reset();
  sessions.reset();
  account.reset();
  state_store.reset();
  store.reset();
  profile.reset();
}

absl::Status AppStack::OpenAccount(const AccountOptions& options) {
  state_store = std::make_unique<ProfileAccountStateStore>(*profile);
  // The store also remembers when one-time pre-keys were handed out, so
  // unused ones expire (client/account.h).
  auto opened = AccountManager::Open(*transport, *state_store, *store, *store,
                                     *store, options, store.get());
  if (!opened.ok()) return opened.status();
  account = *std::move(opened);
  auto created = crypto::SessionManager::Create(*store, *store, *store, *store);
  if (!created.ok()) return created.status();
  sessions = *std::move(created);
  return absl::OkStatus();
}

absl::Status AppStack::StartMessenger(const MessengerOptions& options,
                                      const std::string& time_zone) {
  absl::StatusOr<crypto::IdentityKeyPair> identity = store->LocalIdentity();
  if (!identity.ok()) return identity.status();
  account_id = account->state().account_id;
  kind = account->state().kind;
  auto opened = CertificateManager::Open(*transport, *profile, account_id,
                                         identity->public_key());
  if (!opened.ok()) return opened.status();
  certificates = *std::move(opened);
  relay_fingerprint = certificates->RootFingerprint();
  identity_key = identity->public_key();
  crypto = std::make_unique<crypto::MessageCrypto>(
      *sessions, certificates->verifier(), account_id, *std::move(identity));
  messenger = std::make_unique<Messenger>(*profile, *sessions, *crypto,
                                          account_id, kind, options);
  if (!absl::LoadTimeZone(time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone ", time_zone));
  }
  case_files = std::make_unique<CaseFiles>(*profile, *messenger, kind, zone);
  return absl::OkStatus();
}

bool App::ProfileExists(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() &&
         std::filesystem::exists(
             std::filesystem::path(dir) / kProfileHeaderFile, ec);
}

App::App(std::unique_ptr<AppStack> stack, AppOptions options)
    : stack_(std::move(stack)), options_(std::move(options)) {}

App::~App() {
  Stop();
  stack_->Close();
}

absl::Time App::Now() const {
  return (options_.clock != nullptr ? *options_.clock : base::RealClock())
      .Now();
}

absl::StatusOr<std::unique_ptr<App>> App::Open(const std::string& dir,
                                               std::string_view passphrase,
                                               AppOptions options) {
  if (dir.empty()) {
    return absl::InvalidArgumentError("no profile directory given");
  }
  auto stack = std::make_unique<AppStack>();
  auto profile = ProfileStore::Open(dir, passphrase);
  if (!profile.ok()) {
    if (absl::IsNotFound(profile.status())) {
      return absl::NotFoundError(
          absl::StrCat("no profile in ", dir,
                       "; run `confidant enroll` or `confidant join` first"));
    }
    return profile.status();
  }
  stack->profile = *std::move(profile);
  absl::StatusOr<std::optional<std::string>> stored =
      stack->profile->Get(Namespace::kMeta, kSettingsKey);
  if (!stored.ok()) return stored.status();
  ConnectionSettings saved;
  if (stored->has_value()) {
    absl::StatusOr<ConnectionSettings> decoded =
        ConnectionSettings::Decode(**stored);
    if (!decoded.ok()) return decoded.status();
    saved = *std::move(decoded);
  }
  stack->settings = Effective(saved, options);
  auto transport = MakeTransport(stack->settings, options);
  if (!transport.ok()) return transport.status();
  stack->transport = *std::move(transport);
  auto store = PersistentCryptoStore::Load(*stack->profile);
  if (!store.ok()) {
    if (absl::IsNotFound(store.status())) {
      return absl::FailedPreconditionError(
          "this profile has no account; remove it and enroll or join again");
    }
    return store.status();
  }
  stack->store = *std::move(store);
  if (absl::Status s = stack->OpenAccount(options.account); !s.ok()) return s;
  if (!stack->account->registered()) {
    return absl::FailedPreconditionError(
        "this profile has no registered account; remove it and enroll or join "
        "again");
  }
  if (absl::Status s =
          stack->StartMessenger(options.messenger, options.time_zone);
      !s.ok()) {
    return s;
  }
  std::unique_ptr<App> app(new App(std::move(stack), std::move(options)));
  if (app->kind() == AccountKind::kTrustPerson) {
    // Closed cases past the trust person's retention period go now. A
    // failure leaves them for the next time and opens the profile anyway.
    (void)app->PurgeExpired();
  }
  return app;
}

namespace {

// Creates the profile, pins the relay's keys, and registers with
// `do_register`; removes the profile if registration never happened.
absl::StatusOr<std::unique_ptr<AppStack>> CreateStack(
    const std::string& dir, std::string_view passphrase,
    const ConnectionSettings& settings, std::string_view expected_relay_key,
    const AppOptions& options,
    const std::function<absl::Status(AccountManager&)>& do_register) {
  if (dir.empty()) {
    return absl::InvalidArgumentError("no profile directory given");
  }
  auto stack = std::make_unique<AppStack>();
  stack->settings = Effective(settings, options);
  auto transport = MakeTransport(stack->settings, options);
  if (!transport.ok()) return transport.status();
  stack->transport = *std::move(transport);

  std::error_code ec;
  const fs::path path(dir);
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  const bool dir_existed = fs::exists(path, ec);
  auto profile = ProfileStore::Create(dir, passphrase, options.argon2);
  if (!profile.ok()) {
    if (absl::IsAlreadyExists(profile.status())) {
      return absl::AlreadyExistsError(
          absl::StrCat("a profile already exists in ", dir));
    }
    return profile.status();
  }
  stack->profile = *std::move(profile);

  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
    if (!keys.ok()) return keys.status();
    auto store = PersistentCryptoStore::Create(
        *stack->profile, std::move(keys->identity), keys->registration_id);
    if (!store.ok()) return store.status();
    stack->store = *std::move(store);
    if (absl::Status s = stack->OpenAccount(options.account); !s.ok()) return s;
    if (absl::Status s = stack->profile->Put(Namespace::kMeta, kSettingsKey,
                                             settings.Encode());
        !s.ok()) {
      return s;
    }
    // The relay's keys are checked before it sees the access code or invite.
    absl::StatusOr<std::string> fingerprint =
        PinRelayKeys(*stack->transport, *stack->profile, expected_relay_key);
    if (!fingerprint.ok()) return fingerprint.status();
    return do_register(*stack->account);
  }();
  if (status.ok()) {
    status = stack->StartMessenger(options.messenger, options.time_zone);
  }
  if (!status.ok()) {
    const bool registered =
        stack->account != nullptr && stack->account->registered();
    stack->Close();
    if (!registered) {
      // Nothing of this account exists anywhere: leave no trace of it.
      ProfileStore::Remove(dir).IgnoreError();
      if (!dir_existed) fs::remove(path, ec);
    }
    return status;
  }
  return stack;
}

}  // namespace

absl::StatusOr<std::unique_ptr<App>> App::Join(
    const std::string& dir, std::string_view passphrase,
    const ConnectionSettings& settings, std::string_view access_code,
    std::string_view expected_relay_key, AppOptions options) {
  const absl::Time now =
      (options.clock != nullptr ? *options.clock : base::RealClock()).Now();
  auto stack = CreateStack(dir, passphrase, settings, expected_relay_key,
                           options, [&](AccountManager& account) {
                             return account.RegisterEmployee(access_code, now);
                           });
  if (!stack.ok()) return stack.status();
  return std::unique_ptr<App>(new App(*std::move(stack), std::move(options)));
}

absl::StatusOr<std::unique_ptr<App>> App::Enroll(
    const std::string& dir, std::string_view passphrase,
    const ConnectionSettings& settings, std::string_view invite_code,
    const TrustPersonProfile& profile, std::string_view expected_relay_key,
    AppOptions options) {
  const absl::Time now =
      (options.clock != nullptr ? *options.clock : base::RealClock()).Now();
  auto stack = CreateStack(dir, passphrase, settings, expected_relay_key,
                           options, [&](AccountManager& account) {
                             return account.RegisterTrustPerson(invite_code,
                                                                profile, now);
                           });
  if (!stack.ok()) return stack.status();
  return std::unique_ptr<App>(new App(*std::move(stack), std::move(options)));
}

const std::string& App::account_id() const { return stack_->account_id; }
AccountKind App::kind() const { return stack_->kind; }
std::vector<Organisation> App::organisations() const {
  return stack_->account->state().organisations;
}
const std::string& App::identity_key() const { return stack_->identity_key; }
const std::string& App::relay_fingerprint() const {
  return stack_->relay_fingerprint;
}
const ConnectionSettings& App::settings() const { return stack_->settings; }

absl::Status App::SaveSettings(const ConnectionSettings& settings) {
  return stack_->profile->Put(Namespace::kMeta, kSettingsKey,
                              settings.Encode());
}

absl::Status App::ChangePassphrase(std::string_view old_passphrase,
                                   std::string_view new_passphrase,
                                   std::optional<crypto::Argon2Params> params) {
  return stack_->profile->ChangePassphrase(old_passphrase, new_passphrase,
                                           params);
}

absl::StatusOr<TrustPersonList> App::TrustPersons(
    std::string_view organisation_id) {
  return stack_->transport->ListTrustPersons(organisation_id);
}

absl::StatusOr<std::string> App::OpenCase(
    std::string_view trust_person_account_id, std::string_view first_message) {
  absl::StatusOr<std::string> case_id = stack_->messenger->OpenCase(
      trust_person_account_id, first_message, Now());
  if (!case_id.ok()) return case_id;
  OutboxChanged();
  return case_id;
}

absl::StatusOr<std::string> App::Send(std::string_view case_id,
                                      std::string_view text) {
  absl::StatusOr<std::string> id =
      stack_->messenger->SendText(case_id, text, Now());
  if (!id.ok()) return id;
  OutboxChanged();
  return id;
}

void App::OutboxChanged() {
  {
    absl::MutexLock lock(&mu_);
    send_wanted_ = true;
  }
  PublishConnection();
}

absl::StatusOr<std::vector<CaseSummary>> App::Cases() {
  return stack_->messenger->ListCases();
}

absl::StatusOr<CaseSummary> App::Case(std::string_view case_id) {
  return stack_->messenger->GetCase(case_id);
}

absl::StatusOr<std::vector<CaseMessage>> App::Read(std::string_view case_id) {
  return stack_->messenger->ReadCase(case_id);
}

absl::Status App::MarkRead(std::string_view case_id) {
  absl::Status s = stack_->messenger->MarkRead(case_id);
  if (s.ok()) {
    std::string id(case_id);
    Emit([id](AppObserver& o) { o.OnCaseChanged(id); });
  }
  return s;
}

absl::StatusOr<SafetyNumberState> App::SafetyNumber(std::string_view case_id) {
  return stack_->messenger->SafetyNumber(case_id);
}

absl::StatusOr<SyncReport> App::Verify(std::string_view case_id,
                                       std::string_view compared) {
  std::vector<Received> events;
  absl::StatusOr<SyncReport> report =
      stack_->messenger->VerifySafetyNumber(case_id, compared, Now(), &events);
  if (!report.ok()) return report;
  for (const Received& r : events) Publish(r, nullptr);
  std::string id(case_id);
  Emit([id](AppObserver& o) { o.OnCaseChanged(id); });
  {
    absl::MutexLock lock(&mu_);
    send_wanted_ = true;  // what waited for the check may leave now
  }
  return report;
}

}  // namespace confidant::client
