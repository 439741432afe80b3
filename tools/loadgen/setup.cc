#include "tools/loadgen/setup.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "base/openssl.h"
#include "tools/loadgen/process.h"

namespace confidant::loadgen {
namespace {

constexpr absl::Duration kAdminTimeout = absl::Seconds(60);

// A Curve25519 identity key held as its Ed25519 twin, so that signatures the
// relay checks as XEdDSA (libsignal's format) can be made with OpenSSL alone.
class XeddsaKey {
 public:
  static absl::StatusOr<XeddsaKey> Generate() {
    XeddsaKey key;
    key.pkey_.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (key.pkey_ == nullptr)
      return absl::InternalError("Ed25519 keygen failed");
    std::array<unsigned char, 32> ed_public;
    size_t len = ed_public.size();
    if (EVP_PKEY_get_raw_public_key(key.pkey_.get(), ed_public.data(), &len) !=
        1) {
      return absl::InternalError("cannot read the Ed25519 public key");
    }
    key.sign_bit_ = ed_public[31] & 0x80;
    absl::StatusOr<std::string> u = EdwardsYToMontgomeryU(ed_public.data());
    if (!u.ok()) return u.status();
    key.public_key_ = std::string(1, '\x05') + *u;
    return key;
  }

  // 33 bytes: 0x05, then the Montgomery u coordinate.
  const std::string& public_key() const { return public_key_; }

  absl::StatusOr<std::string> Sign(const std::string& message) const {
    base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    std::string sig(64, '\0');
    size_t len = sig.size();
    if (ctx == nullptr ||
        EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) !=
            1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                       &len,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
      return absl::InternalError("Ed25519 signing failed");
    }
    sig[63] =
        static_cast<char>(static_cast<unsigned char>(sig[63]) | sign_bit_);
    return sig;
  }

 private:
  // u = (1 + y) / (1 - y) mod 2^255 - 19, both little-endian.
  static absl::StatusOr<std::string> EdwardsYToMontgomeryU(
      const unsigned char* y_le) {
    std::array<unsigned char, 32> y_be;
    std::reverse_copy(y_le, y_le + 32, y_be.begin());
    y_be[0] &= 0x7f;
    base::OpenSslPtr<BN_CTX> ctx(BN_CTX_new());
    base::OpenSslPtr<BIGNUM> p(BN_new()),
        y(BN_bin2bn(y_be.data(), 32, nullptr)), one(BN_new()), num(BN_new()),
        den(BN_new()), u(BN_new());
    std::string out(32, '\0');
    if (!ctx || !p || !y || !one || !num || !den || !u ||
        !BN_set_bit(p.get(), 255) || !BN_sub_word(p.get(), 19) ||
        !BN_one(one.get()) ||
        !BN_mod_add(num.get(), one.get(), y.get(), p.get(), ctx.get()) ||
        !BN_mod_sub(den.get(), one.get(), y.get(), p.get(), ctx.get()) ||
        BN_mod_inverse(den.get(), den.get(), p.get(), ctx.get()) == nullptr ||
        !BN_mod_mul(u.get(), num.get(), den.get(), p.get(), ctx.get()) ||
        BN_bn2lebinpad(u.get(), reinterpret_cast<unsigned char*>(out.data()),
                       32) != 32) {
      return absl::InternalError("Edwards to Montgomery conversion failed");
    }
    return out;
  }

  base::OpenSslPtr<EVP_PKEY> pkey_;
  std::string public_key_;
  unsigned char sign_bit_ = 0;
};

std::string RandomPublicKey() {
  std::string key(33, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(key.data()) + 1, 32);
  key[0] = '\x05';
  key[32] &= 0x7f;  // u below 2^255: the relay refuses other encodings
  return key;
}

absl::Status FromGrpc(const grpc::Status& st, absl::string_view what) {
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(what, ": ", st.error_message()));
}

template <typename Message>
absl::StatusOr<Message> ParseJson(const std::string& json,
                                  absl::string_view what) {
  Message m;
  if (!google::protobuf::util::JsonStringToMessage(json, &m).ok()) {
    return absl::InternalError(
        absl::StrCat("confidant-admin ", what, " printed no valid JSON"));
  }
  return m;
}

}  // namespace

absl::StatusOr<std::string> AdminTool::Run(
    const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {binary_, "--data-dir", data_dir_, "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<CommandOutput> out = RunCommand(argv, kAdminTimeout);
  if (!out.ok()) return out.status();
  if (out->exit_code != 0) {
    return absl::InternalError(absl::StrCat(
        "confidant-admin ", args.front(), " failed (exit code ", out->exit_code,
        "): ", absl::StripAsciiWhitespace(out->err)));
  }
  return out->out;
}

absl::StatusOr<v1::CreateOrganisationResponse> AdminTool::CreateOrganisation(
    const std::string& name) const {
  absl::StatusOr<std::string> out = Run({"org", "create", name});
  if (!out.ok()) return out.status();
  return ParseJson<v1::CreateOrganisationResponse>(*out, "org create");
}

absl::StatusOr<std::string> AdminTool::CreateInvite(
    const std::string& org) const {
  absl::StatusOr<std::string> out = Run({"invite", "create", "--org", org});
  if (!out.ok()) return out.status();
  absl::StatusOr<v1::CreateInviteResponse> invite =
      ParseJson<v1::CreateInviteResponse>(*out, "invite create");
  if (!invite.ok()) return invite.status();
  return invite->invite_code();
}

absl::StatusOr<v1::GetStatsResponse> AdminTool::Stats() const {
  absl::StatusOr<std::string> out = Run({"stats"});
  if (!out.ok()) return out.status();
  return ParseJson<v1::GetStatsResponse>(*out, "stats");
}

absl::StatusOr<std::vector<Account>> RegisterEmployees(
    const std::vector<std::unique_ptr<Endpoint>>& endpoints,
    const std::string& access_code, size_t count, const SetupOptions& options,
    absl::Time deadline) {
  std::vector<Account> accounts(count);
  if (count == 0) return accounts;
  struct Call {
    grpc::ClientContext context;
    v1::RegisterRequest request;
    v1::RegisterResponse response;
  };
  CallLoop loop(options.concurrency, count,
                [&](uint64_t index, int slot, CallLoop::Done done) {
                  auto call = std::make_shared<Call>();
                  PrepareCall(&call->context, nullptr, options.rpc_timeout);
                  call->request.set_access_code(access_code);
                  Endpoint& ep =
                      *endpoints[static_cast<size_t>(slot) % endpoints.size()];
                  ep.accounts->async()->Register(
                      &call->context, &call->request, &call->response,
                      [call, index, &accounts, done](grpc::Status status) {
                        if (status.ok()) {
                          accounts[index] = {call->response.account_id(),
                                             call->response.secret()};
                        }
                        done(status);
                      });
                });
  loop.Start();
  const absl::Time start = absl::Now();
  while (!loop.Wait(std::min(deadline, absl::Now() + absl::Seconds(10))) &&
         absl::Now() < deadline) {
    std::fprintf(stderr,
                 "confidant-loadgen: registering employees: %llu of %zu "
                 "(%.0f/s)\n",
                 static_cast<unsigned long long>(loop.ok()), count,
                 static_cast<double>(loop.ok()) /
                     absl::ToDoubleSeconds(absl::Now() - start));
  }
  if (!loop.Wait(absl::Now())) {
    loop.Stop();
    loop.Wait(absl::Now() + options.rpc_timeout);
    return absl::DeadlineExceededError(absl::StrCat(
        "registering ", count, " employees did not finish in time (", loop.ok(),
        " done)"));
  }
  if (loop.failed() > 0) {
    return absl::InternalError(absl::StrCat("registering employees failed: ",
                                            loop.errors().Describe()));
  }
  return accounts;
}

absl::StatusOr<std::vector<Account>> RegisterTrustPersons(
    Endpoint& endpoint, const AdminTool& admin, const std::string& org,
    size_t count, const SetupOptions& options, absl::Time deadline) {
  std::vector<Account> accounts;
  for (size_t i = 0; i < count; ++i) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "registering ", count, " trust persons did not finish in time"));
    }
    absl::StatusOr<std::string> invite = admin.CreateInvite(org);
    if (!invite.ok()) return invite.status();

    v1::RegisterRequest request;
    request.set_invite_code(*invite);
    v1::TrustPersonProfile* profile = request.mutable_profile();
    profile->set_display_name(absl::StrCat("Loadgen trust person ", i + 1));
    profile->set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
    profile->add_languages("nl");
    profile->add_languages("en");
    v1::RegisterResponse response;
    grpc::ClientContext register_context;
    PrepareCall(&register_context, nullptr, options.rpc_timeout);
    absl::Status st = FromGrpc(
        endpoint.accounts->Register(&register_context, request, &response),
        "registering a trust person");
    if (!st.ok()) return st;
    Account account{response.account_id(), response.secret()};

    absl::StatusOr<XeddsaKey> identity = XeddsaKey::Generate();
    if (!identity.ok()) return identity.status();
    v1::UploadKeysRequest upload;
    upload.set_identity_key(identity->public_key());
    upload.set_registration_id(static_cast<uint32_t>(1 + i % 16000));
    v1::SignedPreKey* spk = upload.mutable_signed_pre_key();
    spk->set_id(1);
    spk->set_public_key(RandomPublicKey());
    absl::StatusOr<std::string> signature = identity->Sign(spk->public_key());
    if (!signature.ok()) return signature.status();
    spk->set_signature(*signature);
    for (uint32_t k = 1; k <= 10; ++k) {
      v1::OneTimePreKey* otk = upload.add_one_time_pre_keys();
      otk->set_id(k);
      otk->set_public_key(RandomPublicKey());
    }
    v1::UploadKeysResponse uploaded;
    grpc::ClientContext upload_context;
    PrepareCall(&upload_context, &account, options.rpc_timeout);
    st = FromGrpc(endpoint.keys->UploadKeys(&upload_context, upload, &uploaded),
                  "uploading a trust person's keys");
    if (!st.ok()) return st;
    accounts.push_back(std::move(account));
  }
  return accounts;
}

absl::Status CheckDirectory(Endpoint& endpoint, const Account& employee,
                            size_t expected, absl::Duration timeout) {
  grpc::ClientContext context;
  PrepareCall(&context, &employee, timeout);
  v1::ListTrustPersonsResponse response;
  absl::Status st =
      FromGrpc(endpoint.directory->ListTrustPersons(
                   &context, v1::ListTrustPersonsRequest(), &response),
               "listing trust persons");
  if (!st.ok()) return st;
  if (static_cast<size_t>(response.trust_persons_size()) != expected) {
    return absl::InternalError(
        absl::StrCat("the directory lists ", response.trust_persons_size(),
                     " trust persons; expected ", expected));
  }
  return absl::OkStatus();
}

}  // namespace confidant::loadgen
