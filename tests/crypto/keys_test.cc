// The key helpers (crypto/keys.h): identity key pairs, registration ids,
// pre-key ids and signed pre-keys with their rotation, and XEdDSA signatures
// checked both ways between libsignal and the relay's own check
// (server/signature.h).
#include "crypto/keys.h"

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "crypto/errors.h"
#include "gtest/gtest.h"
#include "server/signature.h"
#include "tests/crypto/session_fixture.h"
#include "tests/testing/test_util.h"

namespace confidant::crypto::session_testing {
namespace {

TEST(KeysTest, RelayVerifiesLibsignalSignedPreKeys) {
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
    ASSERT_TRUE(identity.ok());
    absl::StatusOr<SignedPreKeyPair> spk =
        GenerateSignedPreKey(*identity, i + 1, kNow);
    ASSERT_TRUE(spk.ok());
    ASSERT_EQ(spk->public_key.size(), kPublicKeySize);
    ASSERT_EQ(spk->signature.size(), kSignatureSize);
    EXPECT_TRUE(server::VerifyXeddsaSignature(identity->public_key(),
                                              spk->public_key, spk->signature))
        << i;
    EXPECT_TRUE(VerifySignature(identity->public_key(), spk->public_key,
                                spk->signature));
    std::string flipped = spk->signature;
    flipped[i % flipped.size()] ^= static_cast<char>(1 << (i % 8));
    EXPECT_FALSE(server::VerifyXeddsaSignature(identity->public_key(),
                                               spk->public_key, flipped))
        << i;
    EXPECT_FALSE(
        VerifySignature(identity->public_key(), spk->public_key, flipped));
  }
}

TEST(KeysTest, LibsignalVerifiesTheTestUtilSigner) {
  // The other direction: XEdDSA signatures made with OpenSSL alone.
  ::confidant::testing::XeddsaTestKey key;
  const std::string message = ::confidant::testing::RandomPublicKey();
  const std::string signature = key.Sign(message);
  EXPECT_TRUE(VerifySignature(key.public_key(), message, signature));
  std::string flipped = signature;
  flipped[3] ^= 0x10;
  EXPECT_FALSE(VerifySignature(key.public_key(), message, flipped));
  EXPECT_FALSE(VerifySignature(key.public_key().substr(1), message, signature));
}

TEST(KeysTest, IdentityKeyPairRoundTrip) {
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->public_key().size(), kPublicKeySize);
  EXPECT_EQ(static_cast<unsigned char>(identity->public_key()[0]), 0x05);
  EXPECT_EQ(identity->private_key().size(), kPrivateKeySize);
  absl::StatusOr<SecretBytes> blob = identity->Serialize();
  ASSERT_TRUE(blob.ok());
  absl::StatusOr<IdentityKeyPair> back =
      IdentityKeyPair::Deserialize(blob->view());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->public_key(), identity->public_key());
  EXPECT_TRUE(back->private_key().Equals(identity->private_key()));

  absl::StatusOr<std::string> signature = identity->Sign("message");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(VerifySignature(identity->public_key(), "message", *signature));

  EXPECT_EQ(ErrorOf(IdentityKeyPair::Deserialize("junk").status()),
            CryptoError::kInvalidKey);
  // A public key that does not belong to the private key.
  absl::StatusOr<IdentityKeyPair> other = IdentityKeyPair::Generate();
  std::string mixed(blob->view());
  const size_t at = mixed.find(identity->public_key());
  ASSERT_NE(at, std::string::npos);
  mixed.replace(at, kPublicKeySize, other->public_key());
  EXPECT_EQ(ErrorOf(IdentityKeyPair::Deserialize(mixed).status()),
            CryptoError::kInvalidKey);
}

TEST(KeysTest, RegistrationIdsInRange) {
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<uint32_t> id = GenerateRegistrationId();
    ASSERT_TRUE(id.ok());
    EXPECT_GE(*id, 1u);
    EXPECT_LE(*id, 16380u);
  }
}

TEST(KeysTest, PreKeyIdsWrapAndNeverHitZero) {
  absl::StatusOr<std::vector<OneTimePreKeyPair>> keys =
      GenerateOneTimePreKeys(kMaxPreKeyId - 1, 4);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 4u);
  EXPECT_EQ((*keys)[0].id, kMaxPreKeyId - 1);
  EXPECT_EQ((*keys)[1].id, kMaxPreKeyId);
  EXPECT_EQ((*keys)[2].id, 1u);
  EXPECT_EQ((*keys)[3].id, 2u);
  EXPECT_NE((*keys)[0].public_key, (*keys)[1].public_key);
  EXPECT_EQ(GenerateOneTimePreKeys(0, 1)->front().id, 1u);
  EXPECT_EQ(NextPreKeyId(0), 1u);
  EXPECT_EQ(NextPreKeyId(41), 42u);
  EXPECT_EQ(NextPreKeyId(kMaxPreKeyId), 1u);
  EXPECT_EQ(NextPreKeyId(0xFFFFFFFF), 1u);

  absl::StatusOr<SecretBytes> record = (*keys)[2].ToRecord();
  ASSERT_TRUE(record.ok());
  absl::StatusOr<OneTimePreKeyPair> back =
      OneTimePreKeyPair::FromRecord(record->view());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 1u);
  EXPECT_EQ(back->public_key, (*keys)[2].public_key);
  EXPECT_TRUE(back->private_key.Equals((*keys)[2].private_key));
}

TEST(KeysTest, SignedPreKeyRecordAndRotation) {
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  absl::StatusOr<SignedPreKeyPair> spk =
      GenerateSignedPreKey(*identity, 9, kNow + absl::Milliseconds(1234));
  ASSERT_TRUE(spk.ok());
  absl::StatusOr<SecretBytes> record = spk->ToRecord();
  ASSERT_TRUE(record.ok());
  absl::StatusOr<SignedPreKeyPair> back =
      SignedPreKeyPair::FromRecord(record->view());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 9u);
  EXPECT_EQ(back->public_key, spk->public_key);
  EXPECT_TRUE(back->private_key.Equals(spk->private_key));
  EXPECT_EQ(back->signature, spk->signature);
  EXPECT_EQ(back->created, spk->created);
  EXPECT_EQ(ErrorOf(SignedPreKeyPair::FromRecord("junk").status()),
            CryptoError::kInvalidKey);

  EXPECT_FALSE(NeedsRotation(kNow, kNow + absl::Hours(24 * 7 - 1)));
  EXPECT_TRUE(NeedsRotation(kNow, kNow + absl::Hours(24 * 7)));
  EXPECT_TRUE(NeedsRotation(kNow, kNow + absl::Hours(3), absl::Hours(2)));
  EXPECT_TRUE(NeedsRotation(kNow + absl::Hours(24 * 8), kNow));  // clock jump
}

}  // namespace
}  // namespace confidant::crypto::session_testing
