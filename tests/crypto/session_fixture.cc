#include "tests/crypto/session_fixture.h"

namespace confidant::crypto::session_testing {

std::unique_ptr<Party> MakeParty(std::string name) {
  auto party = std::make_unique<Party>();
  party->address = Address{std::move(name), 1};
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  EXPECT_TRUE(identity.ok()) << identity.status();
  absl::StatusOr<uint32_t> registration_id = GenerateRegistrationId();
  EXPECT_TRUE(registration_id.ok());
  party->identity_key = identity->public_key();
  party->registration_id = *registration_id;
  absl::StatusOr<SignedPreKeyPair> signed_pre_key =
      GenerateSignedPreKey(*identity, 7, kNow);
  EXPECT_TRUE(signed_pre_key.ok()) << signed_pre_key.status();
  party->signed_pre_key = *std::move(signed_pre_key);
  absl::StatusOr<std::vector<OneTimePreKeyPair>> one_time =
      GenerateOneTimePreKeys(100, kOneTimePreKeys);
  EXPECT_TRUE(one_time.ok());
  party->one_time = *std::move(one_time);

  party->store =
      std::make_unique<MemoryStore>(*std::move(identity), *registration_id);
  EXPECT_TRUE(AddSignedPreKey(*party->store, party->signed_pre_key).ok());
  for (const OneTimePreKeyPair& key : party->one_time) {
    EXPECT_TRUE(AddPreKey(*party->store, key).ok());
  }
  auto manager = SessionManager::Create(*party->store, *party->store,
                                        *party->store, *party->store);
  EXPECT_TRUE(manager.ok()) << manager.status();
  party->manager = *std::move(manager);
  return party;
}

}  // namespace confidant::crypto::session_testing
