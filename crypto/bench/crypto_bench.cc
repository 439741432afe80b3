// confidant-crypto-bench: the cost of Confidant's message layer against the
// Signal session it wraps, session setup, and passphrase key derivation.
// Results and how to read them: docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "crypto/kdf.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "crypto/message_crypto.h"
#include "crypto/padding.h"
#include "crypto/sealed.h"
#include "crypto/sender_certificate.h"
#include "crypto/session.h"

namespace confidant::crypto {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
const uint32_t kHour = 1'800'000'000 / 3600;

// One relay key for every party, as one relay would have.
const RelaySigningKey& RelayKey() {
  static const RelaySigningKey* const key =
      new RelaySigningKey(*RelaySigningKey::Generate(1, kHour));
  return *key;
}

RelayKeyRing Ring() {
  return *RelayKeyRing::FromChain({RelayKey().Published("")});
}

struct Party {
  std::string id;
  std::unique_ptr<MemoryStore> store;
  std::unique_ptr<SessionManager> sessions;
  std::unique_ptr<SenderCertificateVerifier> verifier;
  std::unique_ptr<MessageCrypto> crypto;
  std::string certificate;
  PreKeyBundle bundle;

  absl::StatusOr<std::string> Encrypt(const std::string& to,
                                      std::string_view message) {
    return crypto->Encrypt(to, message, certificate);
  }
  absl::StatusOr<OpenedMessage> Decrypt(const absl::StatusOr<std::string>& e) {
    return crypto->Decrypt(*e, kHour);
  }
};

std::unique_ptr<Party> MakeParty(char tag) {
  auto p = std::make_unique<Party>();
  p->id = std::string(16, tag);
  IdentityKeyPair identity = *IdentityKeyPair::Generate();
  const uint32_t registration_id = *GenerateRegistrationId();
  SignedPreKeyPair signed_pre_key = *GenerateSignedPreKey(identity, 1, kNow);
  std::vector<OneTimePreKeyPair> one_time = *GenerateOneTimePreKeys(1, 1);
  p->bundle.registration_id = registration_id;
  p->bundle.identity_key = identity.public_key();
  p->bundle.signed_pre_key_id = signed_pre_key.id;
  p->bundle.signed_pre_key_public = signed_pre_key.public_key;
  p->bundle.signed_pre_key_signature = signed_pre_key.signature;
  p->bundle.one_time_pre_key =
      PreKeyBundle::OneTimePreKey{one_time[0].id, one_time[0].public_key};
  IdentityKeyPair own = identity.Clone();
  p->store =
      std::make_unique<MemoryStore>(std::move(identity), registration_id);
  (void)AddSignedPreKey(*p->store, signed_pre_key);
  (void)AddPreKey(*p->store, one_time[0]);
  p->sessions =
      *SessionManager::Create(*p->store, *p->store, *p->store, *p->store);
  p->verifier = std::make_unique<SenderCertificateVerifier>(Ring());
  p->certificate = RelayKey()
                       .Issue(p->id, own.public_key(),
                              kHour + kSenderCertificateLifetimeHours)
                       ->Serialize();
  p->crypto = std::make_unique<MessageCrypto>(*p->sessions, *p->verifier, p->id,
                                              std::move(own));
  return p;
}

// A pair with an established session (first message delivered and answered,
// so both sides send Signal messages, not PreKey messages).
struct Pair {
  std::unique_ptr<Party> alice = MakeParty('a');
  std::unique_ptr<Party> bob = MakeParty('b');
  Pair() {
    (void)alice->sessions->StartSession(PeerAddress(bob->id), bob->bundle);
    (void)bob->Decrypt(alice->Encrypt(bob->id, "hello"));
    (void)alice->Decrypt(bob->Encrypt(alice->id, "hi"));
  }
};

// Baseline: libsignal's Double Ratchet alone (one direction, so no DH ratchet
// step), through the same stores, without padding or sealing.
void BM_SignalSessionOnly(benchmark::State& state) {
  Pair pair;
  const std::string message(state.range(0), 'm');
  const Address to_bob = PeerAddress(pair.bob->id);
  const Address from_alice = PeerAddress(pair.alice->id);
  for (auto _ : state) {
    absl::StatusOr<Ciphertext> c =
        pair.alice->sessions->Encrypt(to_bob, message);
    absl::StatusOr<std::string> p = pair.bob->sessions->Decrypt(from_alice, *c);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignalSessionOnly)->Arg(1024);

// Confidant's layer: pad, session, seal; unseal, check sender, session, unpad.
void BM_MessageLayer(benchmark::State& state) {
  Pair pair;
  const std::string message(state.range(0), 'm');
  for (auto _ : state) {
    absl::StatusOr<std::string> envelope =
        pair.alice->Encrypt(pair.bob->id, message);
    absl::StatusOr<OpenedMessage> opened = pair.bob->Decrypt(envelope);
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MessageLayer)->Arg(1024);

// A conversation: the direction alternates, so every message also carries a
// Diffie-Hellman ratchet step inside libsignal (two messages an iteration).
void BM_SignalSessionPingPong(benchmark::State& state) {
  Pair pair;
  const std::string message(state.range(0), 'm');
  const Address to_bob = PeerAddress(pair.bob->id);
  const Address to_alice = PeerAddress(pair.alice->id);
  for (auto _ : state) {
    absl::StatusOr<Ciphertext> c =
        pair.alice->sessions->Encrypt(to_bob, message);
    absl::StatusOr<std::string> p = pair.bob->sessions->Decrypt(to_alice, *c);
    c = pair.bob->sessions->Encrypt(to_alice, message);
    p = pair.alice->sessions->Decrypt(to_bob, *c);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_SignalSessionPingPong)->Arg(1024);

void BM_MessageLayerPingPong(benchmark::State& state) {
  Pair pair;
  const std::string message(state.range(0), 'm');
  for (auto _ : state) {
    absl::StatusOr<OpenedMessage> opened =
        pair.bob->Decrypt(pair.alice->Encrypt(pair.bob->id, message));
    opened = pair.alice->Decrypt(pair.bob->Encrypt(pair.alice->id, message));
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_MessageLayerPingPong)->Arg(1024);

// The same two with the ephemeral keys made ahead of time, as a client does
// while idle (MessageCrypto::PrepareForSending, outside the timed part).
void BM_MessageLayerPrepared(benchmark::State& state) {
  Pair pair;
  const std::string message(state.range(0), 'm');
  for (auto _ : state) {
    state.PauseTiming();
    (void)pair.alice->crypto->PrepareForSending();
    state.ResumeTiming();
    absl::StatusOr<std::string> envelope =
        pair.alice->Encrypt(pair.bob->id, message);
    absl::StatusOr<OpenedMessage> opened = pair.bob->Decrypt(envelope);
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MessageLayerPrepared)->Arg(1024);

void BM_MessageLayerPingPongPrepared(benchmark::State& state) {
  Pair pair;
  const std::string message(state.range(0), 'm');
  for (auto _ : state) {
    state.PauseTiming();
    (void)pair.alice->crypto->PrepareForSending();
    (void)pair.bob->crypto->PrepareForSending();
    state.ResumeTiming();
    absl::StatusOr<OpenedMessage> opened =
        pair.bob->Decrypt(pair.alice->Encrypt(pair.bob->id, message));
    opened = pair.alice->Decrypt(pair.bob->Encrypt(pair.alice->id, message));
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_MessageLayerPingPongPrepared)->Arg(1024);

// The sealed layer alone (what the message layer adds, with padding).
void BM_SealUnseal(benchmark::State& state) {
  std::unique_ptr<Party> bob = MakeParty('b');
  SealedContent content;
  content.sender = *ParseSenderCertificate(MakeParty('a')->certificate);
  content.message_type = kSignalMessageType;
  content.message = std::string(state.range(0), 'c');
  const IdentityKeyPair& identity = bob->crypto->own_identity();
  for (auto _ : state) {
    absl::StatusOr<std::string> envelope =
        Seal(content, identity.public_key(), bob->id);
    absl::StatusOr<SealedContent> opened = Unseal(
        *envelope, identity.private_key(), identity.public_key(), bob->id);
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SealUnseal)->Arg(1024 + 160);

// Checking a sender certificate the first time a sender's certificate is
// seen: one Ed25519 verification (every verifier is new).
void BM_CertificateCheckFirst(benchmark::State& state) {
  const SenderCertificate certificate =
      *ParseSenderCertificate(MakeParty('a')->certificate);
  std::vector<std::unique_ptr<SenderCertificateVerifier>> verifiers;
  for (int i = 0; i < 1000; ++i) {
    verifiers.push_back(std::make_unique<SenderCertificateVerifier>(Ring()));
  }
  size_t next = 0;
  for (auto _ : state) {
    absl::Status s = verifiers[next]->Verify(certificate, kHour);
    benchmark::DoNotOptimize(s);
    if (++next == verifiers.size()) {
      state.PauseTiming();
      for (auto& v : verifiers) {
        v = std::make_unique<SenderCertificateVerifier>(Ring());
      }
      next = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CertificateCheckFirst);

// Every later message of that sender: the signature check is cached.
void BM_CertificateCheckCached(benchmark::State& state) {
  const SenderCertificate certificate =
      *ParseSenderCertificate(MakeParty('a')->certificate);
  SenderCertificateVerifier verifier(Ring());
  (void)verifier.Verify(certificate, kHour);
  for (auto _ : state) {
    absl::Status s = verifier.Verify(certificate, kHour);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CertificateCheckCached);

// X3DH: a session from a bundle and its first message, both sides.
void BM_SessionSetup(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Party> alice = MakeParty('a');
    std::unique_ptr<Party> bob = MakeParty('b');
    state.ResumeTiming();
    (void)alice->sessions->StartSession(PeerAddress(bob->id), bob->bundle);
    absl::StatusOr<OpenedMessage> opened =
        bob->Decrypt(alice->Encrypt(bob->id, "hello"));
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionSetup);

// Unlocking a local profile with the default Argon2id parameters.
void BM_Argon2idDefault(benchmark::State& state) {
  const std::string salt = NewSalt();
  for (auto _ : state) {
    absl::StatusOr<SecretBytes> key =
        DerivePassphraseKey("correct horse battery staple", salt);
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_Argon2idDefault)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace confidant::crypto

BENCHMARK_MAIN();
