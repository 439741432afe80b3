// The real confidant-relay binary's keys over loopback: sender certificates
// checked as a receiver would, key rotation that keeps the published root, the
// keys kept across restarts and refused when missing or corrupt, and TLS.
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/hex.h"
#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "crypto/sender_certificate.h"
#include "gtest/gtest.h"
#include "tests/integration/relay_integration_fixture.h"

namespace confidant::relay_testing {
namespace {

uint32_t CurrentHour() {
  return static_cast<uint32_t>(std::time(nullptr) / 3600);
}

// Parses `wire` and checks it against `chain` as a receiver would.
crypto::SenderCertificate VerifiedCertificate(
    const std::string& wire, const std::vector<crypto::RelayPublicKey>& chain) {
  absl::StatusOr<crypto::SenderCertificate> certificate =
      crypto::ParseSenderCertificate(wire);
  EXPECT_TRUE(certificate.ok()) << certificate.status();
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(chain);
  EXPECT_TRUE(ring.ok()) << ring.status();
  if (!certificate.ok() || !ring.ok()) return {};
  absl::Status verified = ring->Verify(*certificate, CurrentHour());
  EXPECT_TRUE(verified.ok()) << verified;
  return *certificate;
}

TEST_F(RelayIntegrationTest, IssuesSenderCertificatesAndRotatesItsKey) {
  // The chain, without credentials; the admin tool and the log agree on the
  // fingerprint to publish.
  const std::vector<crypto::RelayPublicKey> first = client_->RelayKeys();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, 1u);
  const uint32_t hour = CurrentHour();
  EXPECT_TRUE(first[0].created_hour == hour ||
              first[0].created_hour + 1 == hour);
  const std::string root = crypto::RelayKeyFingerprint(first[0].public_key);
  auto shown = AdminJson<v1::GetAdminRelayKeysResponse>({"relay-key", "show"});
  EXPECT_EQ(shown.root_fingerprint(), root);
  ASSERT_EQ(shown.keys_size(), 1);
  EXPECT_EQ(shown.keys(0).fingerprint(), root);
  EXPECT_EQ(shown.keys(0).created_hour(), first[0].created_hour);
  EXPECT_NE(relay_->Log().find("relay key root fingerprint: " + root),
            std::string::npos)
      << relay_->Log();
  struct stat st;
  ASSERT_EQ(::stat((data_dir_ + "/relay-keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600);

  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Certificaat BV", &tp, &emp));
  std::string wire;
  EXPECT_EQ(client_->Certificate(nullptr, &wire).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  Account late;
  {
    auto org = AdminJson<v1::ListOrganisationsResponse>({"org", "list"});
    auto rotated = AdminJson<v1::RotateAccessCodeResponse>(
        {"org", "rotate-code", org.organisations(0).id()});
    v1::RegisterRequest req;
    req.set_access_code(rotated.access_code());
    ASSERT_TRUE(client_->Register(req, &late).ok());
  }
  grpc::Status status = client_->Certificate(&late, &wire);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();

  status = client_->Certificate(&emp, &wire);
  ASSERT_TRUE(status.ok()) << status.error_message();
  crypto::SenderCertificate certificate = VerifiedCertificate(wire, first);
  EXPECT_EQ(certificate.account_id, emp.id);
  EXPECT_EQ(certificate.identity_key, emp.identity->public_key());
  EXPECT_EQ(certificate.signer_key_id, 1u);
  const uint32_t issued = certificate.expiry_hour - 168;
  EXPECT_TRUE(issued == hour || issued == CurrentHour()) << issued;

  // Rotation: new certificates come from key 2, endorsed by key 1; the
  // root to publish stays.
  auto rotated = AdminJson<v1::RotateRelayKeyResponse>({"relay-key", "rotate"});
  EXPECT_EQ(rotated.key().id(), 2u);
  EXPECT_EQ(rotated.root_fingerprint(), root);
  const std::vector<crypto::RelayPublicKey> second = client_->RelayKeys();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0], first[0]);
  EXPECT_EQ(crypto::RelayKeyFingerprint(second[1].public_key),
            rotated.key().fingerprint());
  ASSERT_TRUE(client_->Certificate(&tp, &wire).ok());
  certificate = VerifiedCertificate(wire, second);
  EXPECT_EQ(certificate.signer_key_id, 2u);
  EXPECT_EQ(certificate.account_id, tp.id);
  EXPECT_EQ(certificate.identity_key, tp.identity->public_key());

  // The same keys after a clean restart and after a kill.
  ASSERT_NO_FATAL_FAILURE(Restart(/*kill=*/false));
  EXPECT_EQ(client_->RelayKeys(), second);
  ASSERT_NO_FATAL_FAILURE(Restart(/*kill=*/true));
  EXPECT_EQ(client_->RelayKeys(), second);
  ASSERT_TRUE(client_->Certificate(&emp, &wire).ok());
  EXPECT_EQ(VerifiedCertificate(wire, second).signer_key_id, 2u);

  // The text form names the fingerprint, every key and its hour.
  CommandResult text = RunCommand(
      {CONFIDANT_ADMIN_BIN, "--data-dir", data_dir_, "relay-key", "show"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(root), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(rotated.key().fingerprint() + "  "),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(" UTC  (current)"), std::string::npos) << text.out;

  // Issuing names nobody in the log.
  const std::string log = relay_->Log();
  EXPECT_EQ(log.find(base::HexEncode(emp.id)), std::string::npos);
  EXPECT_EQ(log.find(base::HexEncode(tp.id)), std::string::npos);
}

TEST_F(RelayIntegrationTest, RefusesToStartWithoutItsKeys) {
  Account tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation("Sleutel BV", &tp, &emp));
  const std::vector<crypto::RelayPublicKey> chain = client_->RelayKeys();
  ASSERT_EQ(relay_->Stop(), 0);
  const std::string path = data_dir_ + "/relay-keys";
  const std::string good = ::confidant::testing::ReadFileOrDie(path);

  // A corrupt key file stops the relay with a clear message, and stays.
  std::string bad = good;
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x40);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
  EXPECT_FALSE(relay_->Start());
  EXPECT_EQ(relay_->exit_code(), 78);
  EXPECT_NE(relay_->Log().find(path + " is unusable: corrupt"),
            std::string::npos)
      << relay_->Log();
  EXPECT_EQ(::confidant::testing::ReadFileOrDie(path), bad);

  // A missing one beside a database with accounts: no new key 1.
  fs::remove(path);
  EXPECT_FALSE(relay_->Start());
  EXPECT_EQ(relay_->exit_code(), 78);
  EXPECT_NE(relay_->Log().find("--create-relay-key"), std::string::npos)
      << relay_->Log();
  EXPECT_FALSE(fs::exists(path));

  // The file put back: the same keys as before.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << good;
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  client_ = std::make_unique<Client>(relay_->address());
  EXPECT_EQ(client_->RelayKeys(), chain);
}

TEST_F(RelayIntegrationTest, ServesTls) {
  relay_->Stop();
  const std::string key = dir_.path() + "/key.pem",
                    cert = dir_.path() + "/cert.pem";
  CommandResult gen =
      RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec",
                  "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                  "-keyout", key, "-out", cert, "-days", "1", "-subj",
                  "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_NO_FATAL_FAILURE(StartRelay({"--tls-cert", cert, "--tls-key", key}));
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ::confidant::testing::ReadFileOrDie(cert);
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  Client tls(relay_->address(), grpc::SslCredentials(ssl), args);
  EXPECT_EQ(tls.HealthStatus(), grpc::StatusCode::OK);
  EXPECT_NE(client_->HealthStatus(),
            grpc::StatusCode::OK);  // plaintext refused
}

}  // namespace
}  // namespace confidant::relay_testing
