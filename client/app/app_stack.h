// The client stack an App owns. Internal to client/app/.
#ifndef CONFIDANT_CLIENT_APP_APP_STACK_H_
#define CONFIDANT_CLIENT_APP_APP_STACK_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/app/casework.h"
#include "client/app/settings.h"
#include "client/certificates.h"
#include "client/crypto_stores.h"
#include "client/messenger.h"
#include "client/profile_account_state.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "crypto/message_crypto.h"
#include "crypto/session.h"

namespace confidant::client {

// Members in dependency order: Close() and destruction run from the
// messenger down to the transport.
struct AppStack {
  ConnectionSettings settings;
  std::string account_id;
  AccountKind kind = AccountKind::kUnspecified;
  std::string relay_fingerprint;
  std::string identity_key;  // ours, public
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<ProfileStore> profile;
  std::unique_ptr<PersistentCryptoStore> store;
  std::unique_ptr<ProfileAccountStateStore> state_store;
  std::unique_ptr<AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;
  std::unique_ptr<CertificateManager> certificates;
  std::unique_ptr<crypto::MessageCrypto> crypto;
  std::unique_ptr<Messenger> messenger;
  std::unique_ptr<CaseFiles> case_files;
  // The trust person's time zone (AppOptions::time_zone).
  absl::TimeZone zone;

  // Account manager and sessions on `profile` and `store`.
  absl::Status OpenAccount(const AccountOptions& options);
  // Certificates, message crypto and messenger; needs a registered account.
  absl::Status StartMessenger(const MessengerOptions& options,
                              const std::string& time_zone);
  // Closes everything above the transport.
  void Close();

  ~AppStack() { Close(); }
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_APP_STACK_H_
