// The small fixed world the relay and admin fuzzers run against: three
// organisations, five accounts with known ids and secrets, codes, keys and
// queued envelopes. Shared with the corpus generator, so seed inputs carry
// credentials, codes and signatures the world accepts.
#ifndef CONFIDANT_TESTS_FUZZ_RELAY_WORLD_H_
#define CONFIDANT_TESTS_FUZZ_RELAY_WORLD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "confidant/v1/common.pb.h"
#include "server/relay_service.h"
#include "server/storage/storage.h"

namespace confidant::fuzz {

// A Curve25519 key derived from a fixed seed, signing as libsignal's XEdDSA
// does (an Ed25519 key whose Edwards y maps to the Montgomery u). Same seed,
// same key, in every process. Not thread-safe.
class FixedXeddsaKey {
 public:
  explicit FixedXeddsaKey(unsigned char seed);
  ~FixedXeddsaKey();
  FixedXeddsaKey(const FixedXeddsaKey&) = delete;
  FixedXeddsaKey& operator=(const FixedXeddsaKey&) = delete;

  // 33 bytes: 0x05, then u little-endian.
  const std::string& public_key() const { return public_key_; }
  // 64 bytes, in libsignal's format (sign bit in the top bit of byte 63).
  std::string Sign(std::string_view message) const;

 private:
  void* pkey_ = nullptr;  // EVP_PKEY*
  std::string public_key_;
  unsigned char sign_bit_ = 0;
};

// Who places a relay call: the first byte of a relay fuzz input, modulo
// kCallerCount.
enum class Caller : uint8_t {
  kEmployeeA = 0,          // organisation A, keys uploaded, 2 queued
  kTrustPersonA = 1,       // A, internal, keys + one-time pre-keys, 3 queued
  kTrustPersonAB = 2,      // A and B, external, keys, mailbox full
  kEmployeeB = 3,          // B, no keys, empty mailbox
  kTrustPersonNoKeys = 4,  // A, never uploaded keys
  kWrongSecret = 5,        // employee A's id, another secret
  kUnknownAccount = 6,     // well-formed id and secret, no such account
  kNoCredentials = 7,      // no metadata at all
  kMalformed = 8,          // 15-byte id, 31-byte secret
  kAccountOnly = 9,        // account header without secret header
};
inline constexpr int kCallerCount = 10;

// A seeded account.
struct WorldAccount {
  Caller caller;
  std::string id;      // 16 bytes
  std::string secret;  // 32 bytes
  v1::AccountKind kind;
  std::vector<std::string> organisation_ids;
  int identity_seed;  // FixedXeddsaKey seed of its identity key; 0: no keys
  std::vector<uint32_t> one_time_pre_key_ids;
  int queued;  // envelopes in its mailbox (device 1)
};

struct WorldOrganisation {
  std::string id;  // 16 lowercase hex characters
  std::string name;
  std::string access_code;
};

struct WorldInvite {
  std::string code;
  std::vector<std::string> organisation_ids;
  bool expired;
};

// The limits the fuzzers run the relay with: small enough that one request
// can reach every limit check that depends on state.
server::RelayLimits FuzzLimits();

const std::vector<WorldOrganisation>& WorldOrganisations();
// Only the five real accounts (callers kEmployeeA..kTrustPersonNoKeys).
const std::vector<WorldAccount>& WorldAccounts();
const std::vector<WorldInvite>& WorldInvites();

// The seeded account behind `caller`, or nullptr for the invalid callers.
const WorldAccount* AccountFor(Caller caller);

// Credentials sent as x-confidant-account-bin / x-confidant-secret-bin;
// `send_*` false leaves that header out.
struct CallerCredentials {
  bool send_account = false;
  bool send_secret = false;
  std::string account;
  std::string secret;
};
CallerCredentials CredentialsFor(Caller caller);

// Content of the `index`-th (0-based) envelope seeded for `account_id`.
std::string SeededEnvelope(std::string_view account_id, int index);
// The signed pre-key public key seeded for the key with `identity_seed`.
std::string SeededSignedPreKey(int identity_seed);
// A 33-byte 0x05-prefixed public key made from `n`, with u below 2^255 (not
// a curve check; canonical and not of small order for the n the world uses).
std::string FixedPublicKey(uint32_t n);

// Fills an empty `storage` with the world as of `now_hour`: invites expire
// relative to it, envelopes are stored at it. Any failure is a bug in the
// harness or in storage.
absl::Status SeedWorld(server::Storage& storage, uint32_t now_hour);

}  // namespace confidant::fuzz

#endif  // CONFIDANT_TESTS_FUZZ_RELAY_WORLD_H_
