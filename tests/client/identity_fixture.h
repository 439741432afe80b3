// A second installation of an account, outside its messenger: a reinstall
// (a new identity key replaces the old one on the relay, as a restore on a
// new device does) or a forger's kit. For the tests of a changed safety
// number, in the client and in the desktop app.
#ifndef CONFIDANT_TESTS_CLIENT_IDENTITY_FIXTURE_H_
#define CONFIDANT_TESTS_CLIENT_IDENTITY_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "crypto/message_crypto.h"
#include "crypto/sender_certificate.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/client/messenger_fixture.h"

namespace confidant::client::messenger_testing {

// An installation outside the messenger, for a party's account: its own
// identity key, sessions and certificate. Made either as a reinstall of the
// account (new key replaced on the relay) or as a forger's kit.
struct Installation {
  std::unique_ptr<crypto::MemoryStore> store;
  std::unique_ptr<crypto::SessionManager> sessions;
  std::unique_ptr<crypto::SenderCertificateVerifier> verifier;
  std::unique_ptr<crypto::MessageCrypto> crypto;
  std::string account_id;
  std::string identity_key;
  std::string certificate;

  // A sealed TEXT for `peer` in `case_id`.
  std::string Text(const std::string& peer, const std::string& case_id,
                   const std::string& body, char id) {
    v1::AppMessage m;
    m.set_message_id(std::string(16, id));
    m.set_case_id(case_id);
    m.set_kind(v1::AppMessage::TEXT);
    m.set_body(body);
    absl::StatusOr<std::string> envelope =
        crypto->Encrypt(peer, m.SerializeAsString(), certificate);
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return envelope.value_or("");
  }
};

// Fresh keys for `account_id`, a session with `peer` from the relay's
// bundle (fetched with `fetcher`'s transport), trusting `pinned`'s relay
// keys.
inline std::unique_ptr<Installation> NewInstallation(
    Party& fetcher, const std::string& account_id, const std::string& peer,
    Party& pinned) {
  auto out = std::make_unique<Installation>();
  absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
  EXPECT_TRUE(keys.ok());
  out->identity_key = keys->identity.public_key();
  out->account_id = account_id;
  crypto::IdentityKeyPair identity = keys->identity.Clone();
  out->store = std::make_unique<crypto::MemoryStore>(std::move(keys->identity),
                                                     keys->registration_id);
  out->sessions = *crypto::SessionManager::Create(*out->store, *out->store,
                                                  *out->store, *out->store);
  absl::StatusOr<PeerBundle> bundle = fetcher.transport->GetPreKeyBundle(peer);
  EXPECT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_TRUE(
      out->sessions->StartSession(crypto::PeerAddress(peer), bundle->bundle)
          .ok());
  out->verifier = std::make_unique<crypto::SenderCertificateVerifier>(
      pinned.certificates->verifier().ring());
  out->crypto = std::make_unique<crypto::MessageCrypto>(
      *out->sessions, *out->verifier, account_id, std::move(identity));
  return out;
}

// `party` reinstalls: a new identity key replaces the old one on the relay
// (as a restore on a new device does), with a certificate for it.
inline std::unique_ptr<Installation> Reinstall(Party& party,
                                               const std::string& peer,
                                               absl::Time now) {
  std::unique_ptr<Installation> out =
      NewInstallation(party, party.id(), peer, party);
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      out->store->LocalIdentity();
  absl::StatusOr<crypto::SignedPreKeyPair> signed_pre_key =
      crypto::GenerateSignedPreKey(*identity, 77, now);
  EXPECT_TRUE(signed_pre_key.ok());
  EXPECT_TRUE(crypto::AddSignedPreKey(*out->store, *signed_pre_key).ok());
  KeyUpload upload;
  upload.identity_key = out->identity_key;
  upload.registration_id = *out->store->LocalRegistrationId();
  upload.signed_pre_key =
      SignedPreKeyUpload{signed_pre_key->id, signed_pre_key->public_key,
                         signed_pre_key->signature};
  upload.replace_identity = true;
  absl::StatusOr<uint32_t> uploaded = party.transport->UploadKeys(upload);
  EXPECT_TRUE(uploaded.ok()) << uploaded.status();
  absl::StatusOr<std::string> certificate =
      party.transport->GetSenderCertificate();
  EXPECT_TRUE(certificate.ok()) << certificate.status();
  out->certificate = certificate.value_or("");
  return out;
}

}  // namespace confidant::client::messenger_testing

#endif  // CONFIDANT_TESTS_CLIENT_IDENTITY_FIXTURE_H_
