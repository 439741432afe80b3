// The relay fuzz harness's oracle for calls that succeeded (and for every
// Receive): per handler, what the response and the stored state must show,
// read against the seeded world (relay_world.h) and written out
// independently of the relay's own checks.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "confidant/v1/relay.pb.h"
#include "crypto/sender_certificate.h"
#include "server/codes.h"
#include "tests/fuzz/relay_fuzz_harness_internal.h"
#include "tests/fuzz/relay_world.h"

namespace confidant::fuzz {
namespace {

using server::MailboxId;
using server::StoredEnvelope;

bool MayTalk(const WorldAccount& a, const WorldAccount& b) {
  if (a.kind == b.kind) return false;
  for (const auto& org : a.organisation_ids) {
    if (std::find(b.organisation_ids.begin(), b.organisation_ids.end(), org) !=
        b.organisation_ids.end()) {
      return true;
    }
  }
  return false;
}

// Whether the relay must have refused `key` at upload: u of small order
// (the list libsodium refuses, RFC 7748 §6.1's attack points) or not below
// p = 2^255 - 19. Written out independently of the relay's check.
bool IsDegenerateKey(const std::string& key) {
  if (key.size() != 33) return false;  // refused as malformed anyway
  const auto* u = reinterpret_cast<const unsigned char*>(key.data()) + 1;
  if (u[31] & 0x80) return true;
  bool ff = true;
  for (int i = 1; i < 31; ++i) ff = ff && u[i] == 0xff;
  if (u[31] == 0x7f && ff && u[0] >= 0xec) return true;  // p - 1 ... 2^255 - 1
  static const unsigned char kSmallOrder[][32] = {
      {0},
      {1},
      {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
       0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
       0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
      {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
       0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
       0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
  };
  for (const auto& bad : kSmallOrder) {
    if (std::equal(u, u + 32, bad)) return true;
  }
  return false;
}

const WorldAccount* AccountById(std::string_view id) {
  for (const WorldAccount& account : WorldAccounts()) {
    if (account.id == id) return &account;
  }
  return nullptr;
}

}  // namespace

namespace internal {

void Harness::CheckSuccess(Caller caller, const std::string& request,
                           const CallResult& result) {
  const WorldAccount* me = AccountFor(caller);
  server::Storage& storage = storage_.current();
  switch (handler_) {
    case RelayHandler::kRegister: {
      v1::RegisterRequest req;
      v1::RegisterResponse resp;
      req.ParseFromString(request);
      Expect(resp.ParseFromString(result.response), "unparsable response");
      Expect(resp.account_id().size() == 16 && resp.secret().size() == 32,
             "account id or secret of the wrong size");
      absl::StatusOr<server::AccountRecord> stored =
          storage.accounts().Get(resp.account_id());
      Expect(stored.ok(), "the registered account is not stored");
      Expect(stored->secret_hash ==
                 server::DomainHash(server::kSecretDomain, resp.secret()),
             "the returned secret does not match the stored hash");
      Expect(stored->kind == resp.kind(), "stored kind differs");
      std::vector<std::string> expected_orgs;
      if (req.has_access_code()) {
        Expect(resp.kind() == v1::ACCOUNT_KIND_EMPLOYEE,
               "an access code made a non-employee");
        absl::StatusOr<std::string> code =
            server::NormaliseCode(req.access_code());
        for (const WorldOrganisation& org : WorldOrganisations()) {
          if (code.ok() && *server::NormaliseCode(org.access_code) == *code) {
            expected_orgs.push_back(org.id);
          }
        }
      } else {
        Expect(resp.kind() == v1::ACCOUNT_KIND_TRUST_PERSON,
               "an invite made a non-trust-person");
        absl::StatusOr<std::string> code =
            server::NormaliseCode(req.invite_code());
        for (const WorldInvite& invite : WorldInvites()) {
          if (code.ok() && *server::NormaliseCode(invite.code) == *code) {
            Expect(!invite.expired, "an expired invite was accepted");
            expected_orgs = invite.organisation_ids;
          }
        }
        ExpectUnlessKnown(
            stored->profile.GetReflection()
                ->GetUnknownFields(stored->profile)
                .empty(),
            "profile-unknown-fields",
            "the stored profile carries unknown fields that no validation "
            "looked at (they are served to every employee)");
      }
      std::vector<std::string> got_orgs;
      for (const auto& ref : resp.organisations()) got_orgs.push_back(ref.id());
      Expect(got_orgs == expected_orgs &&
                 stored->organisation_ids == expected_orgs,
             "registered into other organisations than the code names");
      return;
    }
    case RelayHandler::kGetAccount: {
      v1::GetAccountResponse resp;
      Expect(resp.ParseFromString(result.response), "unparsable response");
      Expect(resp.account_id() == me->id && resp.kind() == me->kind,
             "another account's identity");
      Expect(resp.has_keys() == (me->identity_seed != 0), "has_keys wrong");
      Expect(resp.has_profile() == (me->kind == v1::ACCOUNT_KIND_TRUST_PERSON),
             "profile present for an employee or missing for a trust person");
      std::vector<std::string> orgs;
      for (const auto& ref : resp.organisations()) orgs.push_back(ref.id());
      Expect(orgs == me->organisation_ids, "wrong organisations");
      return;
    }
    case RelayHandler::kUploadKeys: {
      v1::UploadKeysRequest req;
      v1::UploadKeysResponse resp;
      req.ParseFromString(request);
      Expect(resp.ParseFromString(result.response), "unparsable response");
      absl::StatusOr<uint32_t> count =
          storage.keys().CountOneTimePreKeys(me->id);
      Expect(count.ok() && *count == resp.one_time_pre_key_count(),
             "the returned count differs from the stored one");
      Expect(*count <= FuzzLimits().max_one_time_pre_keys,
             "more one-time pre-keys stored than the limit");
      std::set<uint32_t> ids;
      if (!req.replace_identity()) {
        ids.insert(me->one_time_pre_key_ids.begin(),
                   me->one_time_pre_key_ids.end());
      }
      for (const auto& k : req.one_time_pre_keys()) ids.insert(k.id());
      Expect(ids.size() == *count, "the one-time pre-key count is wrong");
      absl::StatusOr<server::IdentityRecord> identity =
          storage.keys().GetIdentity(me->id);
      Expect(identity.ok(), "keys accepted but no identity stored");
      Expect(req.identity_key().empty() == (req.registration_id() == 0),
             "identity_key accepted without registration_id, or "
             "registration_id without identity_key");
      if (req.registration_id() != 0) {
        Expect(identity->registration_id == req.registration_id(),
               "the uploaded registration id was not stored");
      }
      if (!req.identity_key().empty()) {
        Expect(identity->identity_key == req.identity_key(),
               "the uploaded identity key was not stored");
      }
      Expect(!IsDegenerateKey(req.identity_key()) &&
                 !IsDegenerateKey(req.signed_pre_key().public_key()),
             "an identity key or signed pre-key of small order, or not "
             "canonical, was accepted");
      for (const auto& k : req.one_time_pre_keys()) {
        Expect(!IsDegenerateKey(k.public_key()),
               "a one-time pre-key of small order, or not canonical, was "
               "accepted");
      }
      if (me->identity_seed == 0 || req.replace_identity()) {
        Expect(!req.identity_key().empty() && req.has_signed_pre_key() &&
                   req.registration_id() != 0,
               "a first upload without identity, registration id or signed "
               "pre-key was accepted");
      } else {
        Expect(identity->identity_key ==
                   FixedXeddsaKey(me->identity_seed).public_key(),
               "the identity key changed without replace_identity");
      }
      return;
    }
    case RelayHandler::kGetPreKeyBundle: {
      v1::GetPreKeyBundleRequest req;
      v1::GetPreKeyBundleResponse resp;
      req.ParseFromString(request);
      Expect(resp.ParseFromString(result.response), "unparsable response");
      const WorldAccount* peer = AccountById(req.account_id());
      Expect(peer != nullptr && MayTalk(*me, *peer),
             "a bundle for someone the caller may not contact");
      Expect(peer->identity_seed != 0, "a bundle for an account without keys");
      const FixedXeddsaKey key(static_cast<unsigned char>(peer->identity_seed));
      Expect(resp.account_id() == peer->id && resp.device_id() == 1 &&
                 resp.identity_key() == key.public_key() &&
                 resp.registration_id() ==
                     static_cast<uint32_t>(100 + peer->identity_seed) &&
                 resp.signed_pre_key().id() == 1 &&
                 resp.signed_pre_key().public_key() ==
                     SeededSignedPreKey(peer->identity_seed),
             "the bundle differs from the stored keys");
      absl::StatusOr<uint32_t> left =
          storage.keys().CountOneTimePreKeys(peer->id);
      if (peer->one_time_pre_key_ids.empty()) {
        Expect(!resp.has_one_time_pre_key(), "a one-time pre-key from none");
      } else {
        const uint32_t lowest =
            *std::min_element(peer->one_time_pre_key_ids.begin(),
                              peer->one_time_pre_key_ids.end());
        Expect(resp.has_one_time_pre_key() &&
                   resp.one_time_pre_key().id() == lowest &&
                   resp.one_time_pre_key().public_key() ==
                       FixedPublicKey(lowest * 100 + peer->identity_seed),
               "not the lowest one-time pre-key");
        Expect(left.ok() && *left + 1 == peer->one_time_pre_key_ids.size(),
               "the handed-out one-time pre-key was not removed");
      }
      return;
    }
    case RelayHandler::kGetPreKeyCount: {
      v1::GetPreKeyCountResponse resp;
      Expect(resp.ParseFromString(result.response), "unparsable response");
      Expect(resp.one_time_pre_key_count() == me->one_time_pre_key_ids.size(),
             "wrong one-time pre-key count");
      return;
    }
    case RelayHandler::kListTrustPersons: {
      v1::ListTrustPersonsRequest req;
      v1::ListTrustPersonsResponse resp;
      req.ParseFromString(request);
      Expect(resp.ParseFromString(result.response), "unparsable response");
      const std::string& org = resp.organisation().id();
      Expect(std::find(me->organisation_ids.begin(), me->organisation_ids.end(),
                       org) != me->organisation_ids.end(),
             "listed an organisation the caller does not belong to");
      Expect(req.organisation_id().empty() || req.organisation_id() == org,
             "listed another organisation than asked for");
      std::vector<std::string> expected;
      for (const WorldAccount& a : WorldAccounts()) {
        if (a.kind == v1::ACCOUNT_KIND_TRUST_PERSON && a.identity_seed != 0 &&
            std::find(a.organisation_ids.begin(), a.organisation_ids.end(),
                      org) != a.organisation_ids.end()) {
          expected.push_back(a.id);
        }
      }
      std::vector<std::string> got;
      for (const auto& tp : resp.trust_persons()) {
        got.push_back(tp.account_id());
        const WorldAccount* a = AccountById(tp.account_id());
        Expect(
            a != nullptr && a->identity_seed != 0 &&
                tp.identity_key() ==
                    FixedXeddsaKey(static_cast<unsigned char>(a->identity_seed))
                        .public_key(),
            "a listed identity key differs from the stored one");
      }
      Expect(got == expected, "wrong set of trust persons");
      return;
    }
    case RelayHandler::kGetRelayKeys: {
      v1::GetRelayKeysResponse resp;
      Expect(resp.ParseFromString(result.response), "unparsable response");
      const std::vector<crypto::RelayPublicKey> chain = keys_->Chain();
      Expect(resp.keys_size() == static_cast<int>(chain.size()),
             "not every relay key was served");
      for (int i = 0; i < resp.keys_size(); ++i) {
        const v1::RelayKey& key = resp.keys(i);
        Expect(key.id() == chain[i].id &&
                   key.public_key() == chain[i].public_key &&
                   key.created_hour() == chain[i].created_hour &&
                   key.endorsement() == chain[i].endorsement,
               "a served relay key differs from the relay's");
      }
      return;
    }
    case RelayHandler::kGetSenderCertificate: {
      v1::GetSenderCertificateResponse resp;
      Expect(resp.ParseFromString(result.response), "unparsable response");
      Expect(me->identity_seed != 0,
             "a certificate for an account without keys");
      absl::StatusOr<crypto::SenderCertificate> certificate =
          crypto::ParseSenderCertificate(resp.certificate());
      Expect(certificate.ok(), "the certificate does not parse");
      absl::StatusOr<crypto::RelayKeyRing> ring =
          crypto::RelayKeyRing::FromChain(keys_->Chain());
      Expect(ring.ok() && ring->Verify(*certificate, now_hour_).ok(),
             "the certificate does not verify against the relay's keys");
      Expect(
          certificate->account_id == me->id &&
              certificate->identity_key ==
                  FixedXeddsaKey(static_cast<unsigned char>(me->identity_seed))
                      .public_key(),
          "the certificate names another account or identity key");
      Expect(certificate->expiry_hour ==
                 now_hour_ + crypto::kSenderCertificateLifetimeHours,
             "the certificate does not expire one lifetime from now");
      return;
    }
    case RelayHandler::kSend: {
      v1::SendRequest req;
      v1::SendResponse resp;
      req.ParseFromString(request);
      Expect(resp.ParseFromString(result.response), "unparsable response");
      const WorldAccount* peer = AccountById(req.recipient_account_id());
      Expect(peer != nullptr && MayTalk(*me, *peer),
             "delivered to someone the sender may not contact");
      Expect(!req.content().empty() &&
                 req.content().size() <= FuzzLimits().max_envelope_bytes,
             "accepted an empty or oversized envelope");
      Expect(resp.seq() == static_cast<uint64_t>(peer->queued) + 1,
             "unexpected sequence number");
      absl::StatusOr<std::vector<StoredEnvelope>> stored =
          storage.mailboxes().Read(MailboxId{peer->id, 1}, resp.seq() - 1, 1,
                                   1 << 30);
      Expect(stored.ok() && stored->size() == 1 &&
                 (*stored)[0].seq == resp.seq() &&
                 (*stored)[0].content == req.content(),
             "the acknowledged envelope is not stored as sent");
      return;
    }
    case RelayHandler::kReceive: {
      CheckReceive(me, result);
      return;
    }
    case RelayHandler::kAck: {
      v1::AckRequest req;
      v1::AckResponse resp;
      req.ParseFromString(request);
      Expect(resp.ParseFromString(result.response), "unparsable response");
      std::set<uint64_t> asked(req.seqs().begin(), req.seqs().end());
      uint32_t present = 0;
      for (uint64_t seq : asked) {
        if (seq >= 1 && seq <= static_cast<uint64_t>(me->queued)) ++present;
      }
      Expect(resp.deleted() == present, "wrong number of deleted envelopes");
      absl::StatusOr<std::vector<StoredEnvelope>> left =
          storage.mailboxes().Read(MailboxId{me->id, 1}, 0, 1000, 1 << 30);
      Expect(left.ok() &&
                 left->size() + present == static_cast<size_t>(me->queued),
             "acknowledged envelopes are still stored, or others vanished");
      for (const StoredEnvelope& e : *left) {
        Expect(!asked.contains(e.seq), "an acknowledged envelope is stored");
      }
      return;
    }
  }
}

void Harness::CheckReceive(const WorldAccount* me, const CallResult& result) {
  if (result.messages.empty()) {
    Expect(!result.status.ok(), "a stream ended OK without any message");
    return;
  }
  Expect(me != nullptr, "a stream for bad credentials");
  int envelopes = 0;
  bool caught_up = false;
  for (const std::string& bytes : result.messages) {
    v1::ReceiveResponse message;
    Expect(message.ParseFromString(bytes), "unparsable stream message");
    Expect(!caught_up, "a message after queue_empty");
    if (message.has_queue_empty()) {
      caught_up = true;
      continue;
    }
    Expect(message.has_envelope(), "a message that is neither item");
    Expect(envelopes < me->queued, "more envelopes than were queued");
    Expect(
        message.envelope().seq() == static_cast<uint64_t>(envelopes) + 1 &&
            message.envelope().content() == SeededEnvelope(me->id, envelopes),
        "envelopes out of order or altered");
    ++envelopes;
  }
  Expect(caught_up && envelopes == me->queued,
         "queue_empty missing or before every queued envelope");
  Expect(result.status.error_code() == grpc::StatusCode::CANCELLED,
         "the stream ended by itself after queue_empty");
}

}  // namespace internal
}  // namespace confidant::fuzz
