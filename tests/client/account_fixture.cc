#include "tests/client/account_fixture.h"

namespace confidant::client::account_testing {

std::string ToWire(const crypto::Ciphertext& c) {
  return std::string(1, c.type == crypto::MessageType::kPreKey ? 'P' : 'S') +
         c.bytes;
}

crypto::Ciphertext FromWire(const std::string& wire) {
  crypto::Ciphertext c;
  c.type = wire.at(0) == 'P' ? crypto::MessageType::kPreKey
                             : crypto::MessageType::kSignal;
  c.bytes = wire.substr(1);
  return c;
}

std::unique_ptr<RelayTransport> AccountTest::NewTransport() {
  GrpcTransportOptions options;
  options.address = relay_->address();
  options.insecure = true;
  absl::StatusOr<std::unique_ptr<RelayTransport>> t =
      CreateGrpcTransport(options);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : nullptr;
}

std::unique_ptr<Party> AccountTest::NewParty() {
  auto party = std::make_unique<Party>();
  absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
  EXPECT_TRUE(keys.ok()) << keys.status();
  party->store = std::make_unique<crypto::MemoryStore>(
      std::move(keys->identity), keys->registration_id);
  party->transport = NewTransport();
  auto account =
      AccountManager::Open(*party->transport, party->state_store, *party->store,
                           *party->store, *party->store);
  EXPECT_TRUE(account.ok()) << account.status();
  party->account = *std::move(account);
  auto sessions = crypto::SessionManager::Create(*party->store, *party->store,
                                                 *party->store, *party->store);
  EXPECT_TRUE(sessions.ok()) << sessions.status();
  party->sessions = *std::move(sessions);
  return party;
}

std::unique_ptr<ProfileParty> AccountTest::NewProfileParty(
    const AccountOptions& options) {
  auto party = std::make_unique<ProfileParty>();
  absl::StatusOr<std::unique_ptr<ProfileStore>> profile =
      ProfileStore::Create(dir_.path() + "/profile",
                           "correct horse battery staple", {1, 8 * 1024, 1});
  EXPECT_TRUE(profile.ok()) << profile.status();
  if (!profile.ok()) return nullptr;
  party->profile = *std::move(profile);
  absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
  EXPECT_TRUE(keys.ok()) << keys.status();
  auto store = PersistentCryptoStore::Create(
      *party->profile, std::move(keys->identity), keys->registration_id);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  party->store = *std::move(store);
  party->state_store =
      std::make_unique<ProfileAccountStateStore>(*party->profile);
  party->transport = NewTransport();
  auto account = AccountManager::Open(
      *party->transport, *party->state_store, *party->store, *party->store,
      *party->store, options, party->store.get());
  EXPECT_TRUE(account.ok()) << account.status();
  party->account = *std::move(account);
  auto sessions = crypto::SessionManager::Create(*party->store, *party->store,
                                                 *party->store, *party->store);
  EXPECT_TRUE(sessions.ok()) << sessions.status();
  party->sessions = *std::move(sessions);
  return party;
}

TrustPersonProfile AccountTest::Profile() {
  TrustPersonProfile profile;
  profile.display_name = "Anna de Vries";
  profile.affiliation = Affiliation::kExternal;
  profile.languages = {"nl", "en"};
  profile.intro = "Vertrouwenspersoon sinds 2015.";
  return profile;
}

void AccountTest::SetUpOrganisation(std::unique_ptr<Party>* trust_person,
                                    std::unique_ptr<Party>* employee) {
  org_ = AdminJson<v1::CreateOrganisationResponse>(
      {"org", "create", "Gemeente Voorbeeld"});
  auto invite = AdminJson<v1::CreateInviteResponse>(
      {"invite", "create", "--org", org_.organisation().id()});
  *trust_person = NewParty();
  ASSERT_TRUE(
      (*trust_person)
          ->account->RegisterTrustPerson(invite.invite_code(), Profile(), t0_)
          .ok());
  *employee = NewParty();
  ASSERT_TRUE(
      (*employee)->account->RegisterEmployee(org_.access_code(), t0_).ok());
}

}  // namespace confidant::client::account_testing
