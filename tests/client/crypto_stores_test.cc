#include "client/crypto_stores.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/profile_store.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "crypto/session.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using crypto::Address;
using crypto::SecretBytes;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr crypto::Argon2Params kFastParams = {1, 8 * 1024, 1};
constexpr char kPassphrase[] = "correct horse battery staple";
constexpr char kAliceId[] = "a11ce000000000000000000000000001";
constexpr char kBobId[] = "b0b00000000000000000000000000002";

enum class Kind { kMemory, kPersistent };

// One store of either kind, with the four interfaces it implements.
struct StoreUnderTest {
  testing::TempDir tmp;
  std::unique_ptr<ProfileStore> profile;
  std::unique_ptr<crypto::MemoryStore> memory;
  std::unique_ptr<PersistentCryptoStore> persistent;
  crypto::IdentityStore* identities = nullptr;
  crypto::SessionStore* sessions = nullptr;
  crypto::PreKeyStore* pre_keys = nullptr;
  crypto::SignedPreKeyStore* signed_pre_keys = nullptr;
  std::string public_key;
};

std::unique_ptr<StoreUnderTest> MakeStore(Kind kind, uint32_t registration_id) {
  auto out = std::make_unique<StoreUnderTest>();
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      crypto::IdentityKeyPair::Generate();
  EXPECT_TRUE(identity.ok());
  out->public_key = identity->public_key();
  if (kind == Kind::kMemory) {
    out->memory = std::make_unique<crypto::MemoryStore>(*std::move(identity),
                                                        registration_id);
    out->identities = out->memory.get();
    out->sessions = out->memory.get();
    out->pre_keys = out->memory.get();
    out->signed_pre_keys = out->memory.get();
    return out;
  }
  auto profile = ProfileStore::Create(out->tmp.path() + "/profile", kPassphrase,
                                      kFastParams);
  EXPECT_TRUE(profile.ok()) << profile.status();
  out->profile = *std::move(profile);
  auto store = PersistentCryptoStore::Create(
      *out->profile, *std::move(identity), registration_id);
  EXPECT_TRUE(store.ok()) << store.status();
  out->persistent = *std::move(store);
  out->identities = out->persistent.get();
  out->sessions = out->persistent.get();
  out->pre_keys = out->persistent.get();
  out->signed_pre_keys = out->persistent.get();
  return out;
}

std::string Str(const std::optional<SecretBytes>& record) {
  return record.has_value() ? std::string(record->view()) : "<none>";
}

class CryptoStoreContractTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override { store_ = MakeStore(GetParam(), 4242); }
  std::unique_ptr<StoreUnderTest> store_;
};

TEST_P(CryptoStoreContractTest, LocalIdentity) {
  auto identity = store_->identities->LocalIdentity();
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->public_key(), store_->public_key);
  EXPECT_EQ(*store_->identities->LocalRegistrationId(), 4242u);
}

TEST_P(CryptoStoreContractTest, PeerIdentities) {
  crypto::IdentityStore& ids = *store_->identities;
  const Address bob{kBobId, 1};
  const Address bob2{kBobId, 2};
  const std::string key1(33, '\x05');
  const std::string key2 = "\x05" + std::string(32, 'k');
  EXPECT_EQ(*ids.GetIdentity(bob), std::nullopt);
  EXPECT_TRUE(*ids.IsTrusted(bob, key1));
  ASSERT_TRUE(ids.SaveIdentity(bob, key1).ok());
  EXPECT_EQ(*ids.GetIdentity(bob), std::optional<std::string>(key1));
  EXPECT_EQ(*ids.GetIdentity(bob2), std::nullopt);
  EXPECT_TRUE(*ids.IsTrusted(bob, key1));
  EXPECT_FALSE(*ids.IsTrusted(bob, key2));
  ASSERT_TRUE(ids.SaveIdentity(bob, key2).ok());
  EXPECT_EQ(*ids.GetIdentity(bob), std::optional<std::string>(key2));
  ASSERT_TRUE(ids.RemoveIdentity(bob).ok());
  ASSERT_TRUE(ids.RemoveIdentity(bob).ok());
  EXPECT_EQ(*ids.GetIdentity(bob), std::nullopt);
}

TEST_P(CryptoStoreContractTest, Sessions) {
  crypto::SessionStore& sessions = *store_->sessions;
  const Address bob1{kBobId, 1};
  const Address bob7{kBobId, 7};
  const Address bob3{kBobId, 3};
  const Address alice{kAliceId, 1};
  // A name that is a prefix of another must not match it.
  const Address bob_prefix{std::string(kBobId).substr(0, 10), 1};
  EXPECT_EQ(Str(*sessions.LoadSession(bob1)), "<none>");
  EXPECT_FALSE(*sessions.ContainsSession(bob1));
  EXPECT_FALSE(*sessions.DeleteSession(bob1));
  EXPECT_THAT(*sessions.SubDeviceSessions(kBobId), IsEmpty());
  EXPECT_EQ(*sessions.DeleteAllSessions(kBobId), 0);

  ASSERT_TRUE(sessions.StoreSession(bob7, SecretBytes::CopyOf("r7")).ok());
  ASSERT_TRUE(sessions.StoreSession(bob1, SecretBytes::CopyOf("r1")).ok());
  ASSERT_TRUE(sessions.StoreSession(bob3, SecretBytes::CopyOf("r3")).ok());
  ASSERT_TRUE(sessions.StoreSession(alice, SecretBytes::CopyOf("ra")).ok());
  ASSERT_TRUE(sessions.StoreSession(bob_prefix, SecretBytes::CopyOf("p")).ok());
  ASSERT_TRUE(sessions.StoreSession(bob1, SecretBytes::CopyOf("r1b")).ok());
  EXPECT_EQ(Str(*sessions.LoadSession(bob1)), "r1b");
  EXPECT_TRUE(*sessions.ContainsSession(bob7));
  EXPECT_THAT(*sessions.SubDeviceSessions(kBobId), ElementsAre(1, 3, 7));
  EXPECT_THAT(*sessions.SubDeviceSessions("nobody"), IsEmpty());

  EXPECT_TRUE(*sessions.DeleteSession(bob3));
  EXPECT_FALSE(*sessions.DeleteSession(bob3));
  EXPECT_THAT(*sessions.SubDeviceSessions(kBobId), ElementsAre(1, 7));
  EXPECT_EQ(*sessions.DeleteAllSessions(kBobId), 2);
  EXPECT_THAT(*sessions.SubDeviceSessions(kBobId), IsEmpty());
  EXPECT_EQ(Str(*sessions.LoadSession(alice)), "ra");
  EXPECT_EQ(Str(*sessions.LoadSession(bob_prefix)), "p");
}

TEST_P(CryptoStoreContractTest, PreKeys) {
  crypto::PreKeyStore& pre_keys = *store_->pre_keys;
  EXPECT_EQ(Str(*pre_keys.LoadPreKey(5)), "<none>");
  EXPECT_FALSE(*pre_keys.ContainsPreKey(5));
  ASSERT_TRUE(pre_keys.RemovePreKey(5).ok());
  ASSERT_TRUE(pre_keys.StorePreKey(5, SecretBytes::CopyOf("five")).ok());
  ASSERT_TRUE(
      pre_keys.StorePreKey(crypto::kMaxPreKeyId, SecretBytes::CopyOf("max"))
          .ok());
  EXPECT_TRUE(*pre_keys.ContainsPreKey(5));
  EXPECT_EQ(Str(*pre_keys.LoadPreKey(5)), "five");
  EXPECT_EQ(Str(*pre_keys.LoadPreKey(crypto::kMaxPreKeyId)), "max");
  ASSERT_TRUE(pre_keys.RemovePreKey(5).ok());
  EXPECT_FALSE(*pre_keys.ContainsPreKey(5));
  EXPECT_TRUE(*pre_keys.ContainsPreKey(crypto::kMaxPreKeyId));
}

TEST_P(CryptoStoreContractTest, SignedPreKeys) {
  crypto::SignedPreKeyStore& keys = *store_->signed_pre_keys;
  auto identity = store_->identities->LocalIdentity();
  ASSERT_TRUE(identity.ok());
  auto signed_pre_key =
      crypto::GenerateSignedPreKey(*identity, 9, absl::FromUnixSeconds(1e9));
  ASSERT_TRUE(signed_pre_key.ok());
  EXPECT_EQ(Str(*keys.LoadSignedPreKey(9)), "<none>");
  EXPECT_FALSE(*keys.ContainsSignedPreKey(9));
  ASSERT_TRUE(crypto::AddSignedPreKey(keys, *signed_pre_key).ok());
  EXPECT_TRUE(*keys.ContainsSignedPreKey(9));
  auto loaded = keys.LoadSignedPreKey(9);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  auto parsed = crypto::SignedPreKeyPair::FromRecord((*loaded)->view());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->public_key, signed_pre_key->public_key);
  // Pre-keys and signed pre-keys with the same id are distinct.
  EXPECT_FALSE(*store_->pre_keys->ContainsPreKey(9));
  ASSERT_TRUE(keys.RemoveSignedPreKey(9).ok());
  ASSERT_TRUE(keys.RemoveSignedPreKey(9).ok());
  EXPECT_FALSE(*keys.ContainsSignedPreKey(9));
}

INSTANTIATE_TEST_SUITE_P(Stores, CryptoStoreContractTest,
                         ::testing::Values(Kind::kMemory, Kind::kPersistent),
                         [](const ::testing::TestParamInfo<Kind>& param) {
                           return param.param == Kind::kMemory ? "Memory"
                                                               : "Persistent";
                         });

// libsignal saves the peer's identity with every message: the same key
// again must not rewrite (and so compact away) key material each time.
TEST(PersistentCryptoStoreTest, SavingTheSameIdentityAgainWritesNothing) {
  testing::TempDir tmp;
  auto profile =
      ProfileStore::Create(tmp.path() + "/p", kPassphrase, kFastParams);
  ASSERT_TRUE(profile.ok());
  auto identity = crypto::IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  auto store = PersistentCryptoStore::Create(**profile, identity->Clone(), 7);
  ASSERT_TRUE(store.ok());
  auto peer = crypto::IdentityKeyPair::Generate();
  auto other = crypto::IdentityKeyPair::Generate();
  ASSERT_TRUE(peer.ok() && other.ok());
  const crypto::Address bob{"bob", 1};
  ASSERT_TRUE((*store)->SaveIdentity(bob, peer->public_key()).ok());
  int writes = 0;
  (*profile)->SetWriteFaultForTesting([&](const ProfileStore::Batch&) {
    ++writes;
    return absl::OkStatus();
  });
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*store)->SaveIdentity(bob, peer->public_key()).ok());
  }
  EXPECT_EQ(writes, 0);
  ASSERT_TRUE((*store)->SaveIdentity(bob, other->public_key()).ok());
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(*(*store)->GetIdentity(bob), other->public_key());
  (*profile)->SetWriteFaultForTesting(nullptr);
}

TEST(PersistentCryptoStoreTest, CreateAndLoad) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/profile";
  auto profile = ProfileStore::Create(dir, kPassphrase, kFastParams);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(PersistentCryptoStore::Load(**profile).status().code(),
            absl::StatusCode::kNotFound);
  auto identity = crypto::IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  const std::string public_key = identity->public_key();
  auto store = PersistentCryptoStore::Create(**profile, identity->Clone(), 77);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(PersistentCryptoStore::Create(**profile, identity->Clone(), 78)
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE((*store)->StorePreKey(3, SecretBytes::CopyOf("three")).ok());
  store->reset();
  profile->reset();

  auto reopened = ProfileStore::Open(dir, kPassphrase);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto loaded = PersistentCryptoStore::Load(**reopened);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->LocalIdentity()->public_key(), public_key);
  EXPECT_EQ(*(*loaded)->LocalRegistrationId(), 77u);
  EXPECT_EQ(Str(*(*loaded)->LoadPreKey(3)), "three");
}

crypto::PreKeyBundle PublishKeys(crypto::IdentityStore& ids,
                                 crypto::PreKeyStore& pre_keys,
                                 crypto::SignedPreKeyStore& signed_pre_keys) {
  auto identity = ids.LocalIdentity();
  EXPECT_TRUE(identity.ok());
  auto signed_pre_key =
      crypto::GenerateSignedPreKey(*identity, 1, absl::FromUnixSeconds(1e9));
  EXPECT_TRUE(signed_pre_key.ok());
  EXPECT_TRUE(crypto::AddSignedPreKey(signed_pre_keys, *signed_pre_key).ok());
  auto one_time = crypto::GenerateOneTimePreKeys(100, 1);
  EXPECT_TRUE(one_time.ok());
  EXPECT_TRUE(crypto::AddPreKey(pre_keys, (*one_time)[0]).ok());
  crypto::PreKeyBundle bundle;
  bundle.registration_id = *ids.LocalRegistrationId();
  bundle.identity_key = identity->public_key();
  bundle.signed_pre_key_id = signed_pre_key->id;
  bundle.signed_pre_key_public = signed_pre_key->public_key;
  bundle.signed_pre_key_signature = signed_pre_key->signature;
  bundle.one_time_pre_key = crypto::PreKeyBundle::OneTimePreKey{
      (*one_time)[0].id, (*one_time)[0].public_key};
  return bundle;
}

std::unique_ptr<crypto::SessionManager> NewManager(
    PersistentCryptoStore& store) {
  auto manager = crypto::SessionManager::Create(store, store, store, store);
  EXPECT_TRUE(manager.ok()) << manager.status();
  return *std::move(manager);
}

std::string Roundtrip(crypto::SessionManager& from, const Address& to_address,
                      crypto::SessionManager& to, const Address& from_address,
                      const std::string& text) {
  auto ciphertext = from.Encrypt(to_address, text);
  EXPECT_TRUE(ciphertext.ok()) << ciphertext.status();
  if (!ciphertext.ok()) return "";
  auto plaintext = to.Decrypt(from_address, *ciphertext);
  EXPECT_TRUE(plaintext.ok()) << plaintext.status();
  return plaintext.ok() ? *plaintext : "";
}

TEST(PersistentCryptoStoreTest, ConversationSurvivesReopen) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/alice";
  const Address alice{kAliceId, 1};
  const Address bob{kBobId, 1};

  // Alice: persistent; Bob: in memory.
  auto bob_identity = crypto::IdentityKeyPair::Generate();
  ASSERT_TRUE(bob_identity.ok());
  crypto::MemoryStore bob_store(*std::move(bob_identity), 22);
  const crypto::PreKeyBundle bob_bundle =
      PublishKeys(bob_store, bob_store, bob_store);
  auto bob_manager = crypto::SessionManager::Create(bob_store, bob_store,
                                                    bob_store, bob_store);
  ASSERT_TRUE(bob_manager.ok());

  {
    auto profile = ProfileStore::Create(dir, kPassphrase, kFastParams);
    ASSERT_TRUE(profile.ok());
    auto alice_identity = crypto::IdentityKeyPair::Generate();
    ASSERT_TRUE(alice_identity.ok());
    auto store = PersistentCryptoStore::Create(**profile,
                                               *std::move(alice_identity), 11);
    ASSERT_TRUE(store.ok());
    std::unique_ptr<crypto::SessionManager> manager = NewManager(**store);
    ASSERT_TRUE(manager->StartSession(bob, bob_bundle).ok());
    EXPECT_EQ(Roundtrip(*manager, bob, **bob_manager, alice, "hello bob"),
              "hello bob");
    EXPECT_EQ(Roundtrip(**bob_manager, alice, *manager, bob, "hi alice"),
              "hi alice");
    EXPECT_EQ(Roundtrip(*manager, bob, **bob_manager, alice, "second"),
              "second");
  }
  for (int restart = 0; restart < 2; ++restart) {
    auto profile = ProfileStore::Open(dir, kPassphrase);
    ASSERT_TRUE(profile.ok()) << profile.status();
    auto store = PersistentCryptoStore::Load(**profile);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(*(*store)->GetIdentity(bob),
              std::optional<std::string>(bob_bundle.identity_key));
    EXPECT_THAT(*(*store)->SubDeviceSessions(kBobId), ElementsAre(1));
    std::unique_ptr<crypto::SessionManager> manager = NewManager(**store);
    EXPECT_EQ(Roundtrip(**bob_manager, alice, *manager, bob, "still there?"),
              "still there?");
    EXPECT_EQ(Roundtrip(*manager, bob, **bob_manager, alice, "yes"), "yes");
    EXPECT_EQ(Roundtrip(*manager, bob, **bob_manager, alice, "and again"),
              "and again");
  }
}

}  // namespace
}  // namespace confidant::client
