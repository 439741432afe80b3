// The Keys service (relay.proto): uploading an identity key, a signed
// pre-key and one-time pre-keys (checked: canonical keys, a signature that
// verifies), handing out pre-key bundles to those who may talk, and the
// one-time pre-key count.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "confidant/v1/wire.h"
#include "server/relay_service_internal.h"
#include "server/signature.h"

namespace confidant::server {
namespace {

using Shared = RelayServices::Shared;
using RawKeys = v1::Keys::WithRawCallbackMethod_UploadKeys<
    v1::Keys::WithRawCallbackMethod_GetPreKeyBundle<
        v1::Keys::WithRawCallbackMethod_GetPreKeyCount<v1::Keys::Service>>>;

using wire::kMaxKeyId;
using wire::kMaxRegistrationId;

absl::Status ValidatePublicKey(std::string_view key, absl::string_view field) {
  switch (CheckCurve25519PublicKey(key)) {
    case PublicKeyProblem::kNone:
      return absl::OkStatus();
    case PublicKeyProblem::kMalformed:
      return absl::InvalidArgumentError(
          absl::StrCat(field,
                       " must be a 33-byte Curve25519 public key starting "
                       "with 0x05"));
    case PublicKeyProblem::kNonCanonical:
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          " is not a canonical Curve25519 key (its u coordinate is not "
          "below 2^255 - 19)"));
    case PublicKeyProblem::kSmallOrder:
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          " is a Curve25519 point of small order, which would make every "
          "key agreement with it predictable"));
  }
  return absl::InvalidArgumentError(absl::StrCat(field, " is unusable"));
}

void CopySignedPreKey(const SignedPreKeyRecord& in, v1::SignedPreKey* out) {
  out->set_id(in.id);
  out->set_public_key(in.public_key);
  out->set_signature(in.signature);
}

class KeysService final : public RawKeys {
 public:
  explicit KeysService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* UploadKeys(grpc::CallbackServerContext* call,
                                       const grpc::ByteBuffer* in,
                                       grpc::ByteBuffer* out) override {
    return s_.Unary<v1::UploadKeysRequest, v1::UploadKeysResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::UploadKeysRequest& request,
               v1::UploadKeysResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          const v1::UploadKeysRequest* req = &request;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          return DoUpload(*me, *req, resp);
        });
  }

  grpc::ServerUnaryReactor* GetPreKeyBundle(grpc::CallbackServerContext* call,
                                            const grpc::ByteBuffer* in,
                                            grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetPreKeyBundleRequest, v1::GetPreKeyBundleResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::GetPreKeyBundleRequest& request,
               v1::GetPreKeyBundleResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          const v1::GetPreKeyBundleRequest* req = &request;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          absl::Status st = ValidateAccountId(req->account_id(), "account_id");
          if (!st.ok()) return st;
          absl::StatusOr<uint32_t> device = ValidateDevice(req->device_id());
          if (!device.ok()) return device.status();
          if (!s_.bundle_limiter.TryAcquire(me->id)) {
            return absl::ResourceExhaustedError(
                "too many pre-key bundle requests; try again later");
          }
          absl::StatusOr<AccountRecord> peer =
              s_.storage.accounts().Get(req->account_id());
          if (!peer.ok() && !absl::IsNotFound(peer.status()))
            return peer.status();
          if (!peer.ok() || !MayTalk(*me, *peer)) {
            return absl::PermissionDeniedError(
                "no such account among the people you may contact");
          }
          absl::StatusOr<PreKeyBundleRecord> bundle =
              s_.storage.keys().TakeBundle(peer->id);
          if (!bundle.ok()) {
            if (absl::IsNotFound(bundle.status())) {
              return absl::FailedPreconditionError(
                  "that account has not uploaded its keys yet");
            }
            return bundle.status();
          }
          resp->set_account_id(peer->id);
          resp->set_device_id(*device);
          resp->set_registration_id(bundle->identity.registration_id);
          resp->set_identity_key(bundle->identity.identity_key);
          CopySignedPreKey(bundle->identity.signed_pre_key,
                           resp->mutable_signed_pre_key());
          if (bundle->one_time_pre_key.has_value()) {
            resp->mutable_one_time_pre_key()->set_id(
                bundle->one_time_pre_key->id);
            resp->mutable_one_time_pre_key()->set_public_key(
                bundle->one_time_pre_key->public_key);
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetPreKeyCount(grpc::CallbackServerContext* call,
                                           const grpc::ByteBuffer* in,
                                           grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetPreKeyCountRequest, v1::GetPreKeyCountResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::GetPreKeyCountRequest& request,
               v1::GetPreKeyCountResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          absl::StatusOr<uint32_t> n =
              s_.storage.keys().CountOneTimePreKeys(me->id);
          if (!n.ok()) return n.status();
          resp->set_one_time_pre_key_count(*n);
          return absl::OkStatus();
        });
  }

 private:
  absl::Status DoUpload(const AccountRecord& me,
                        const v1::UploadKeysRequest& req,
                        v1::UploadKeysResponse* resp) {
    const RelayLimits& limits = s_.limits;
    if (!req.identity_key().empty()) {
      absl::Status st = ValidatePublicKey(req.identity_key(), "identity_key");
      if (!st.ok()) return st;
    }
    if (req.registration_id() > kMaxRegistrationId) {
      return absl::InvalidArgumentError("registration_id must be 1..16380");
    }
    // relay.proto: the registration id goes with the identity key, always
    // both or neither.
    if (!req.identity_key().empty() && req.registration_id() == 0) {
      return absl::InvalidArgumentError(
          "registration_id (1..16380) is required with identity_key");
    }
    if (req.identity_key().empty() && req.registration_id() != 0) {
      return absl::InvalidArgumentError(
          "registration_id may only be sent together with identity_key");
    }
    if (req.has_signed_pre_key()) {
      const v1::SignedPreKey& spk = req.signed_pre_key();
      if (spk.id() > kMaxKeyId) {
        return absl::InvalidArgumentError(
            "signed_pre_key.id must be below 2^24");
      }
      absl::Status st =
          ValidatePublicKey(spk.public_key(), "signed_pre_key.public_key");
      if (!st.ok()) return st;
      if (spk.signature().size() != kSignatureSize) {
        return absl::InvalidArgumentError(
            "signed_pre_key.signature must be exactly 64 bytes");
      }
    }
    if (static_cast<uint32_t>(req.one_time_pre_keys_size()) >
        limits.max_pre_keys_per_upload) {
      return absl::ResourceExhaustedError(
          absl::StrCat("at most ", limits.max_pre_keys_per_upload,
                       " one-time pre-keys per upload"));
    }
    KeyUpload upload;
    absl::flat_hash_set<uint32_t> ids;
    for (const v1::OneTimePreKey& k : req.one_time_pre_keys()) {
      if (k.id() > kMaxKeyId) {
        return absl::InvalidArgumentError(
            "one_time_pre_keys: ids must be below 2^24");
      }
      if (!ids.insert(k.id()).second) {
        return absl::InvalidArgumentError(
            "one_time_pre_keys: the same id appears twice");
      }
      absl::Status st =
          ValidatePublicKey(k.public_key(), "one_time_pre_keys.public_key");
      if (!st.ok()) return st;
      upload.one_time_pre_keys.push_back({k.id(), k.public_key()});
    }
    if (req.replace_identity() &&
        (req.identity_key().empty() || !req.has_signed_pre_key() ||
         req.registration_id() == 0)) {
      return absl::InvalidArgumentError(
          "replace_identity needs identity_key, registration_id and "
          "signed_pre_key");
    }

    absl::StatusOr<IdentityRecord> stored =
        s_.storage.keys().GetIdentity(me.id);
    if (!stored.ok() && !absl::IsNotFound(stored.status()))
      return stored.status();
    if (!stored.ok() &&
        (req.identity_key().empty() || !req.has_signed_pre_key() ||
         req.registration_id() == 0)) {
      return absl::FailedPreconditionError(
          "the first upload needs identity_key, registration_id and "
          "signed_pre_key");
    }
    upload.identity_key =
        req.identity_key().empty() ? stored->identity_key : req.identity_key();
    if (stored.ok() && upload.identity_key != stored->identity_key &&
        !req.replace_identity()) {
      return absl::FailedPreconditionError(
          "identity_key differs from the stored one; set replace_identity to "
          "change it");
    }
    upload.registration_id = req.registration_id();
    upload.replace_identity = req.replace_identity();
    if (req.has_signed_pre_key()) {
      const v1::SignedPreKey& spk = req.signed_pre_key();
      if (!VerifyXeddsaSignature(upload.identity_key, spk.public_key(),
                                 spk.signature())) {
        return absl::InvalidArgumentError(
            "signed_pre_key.signature does not verify against the identity "
            "key");
      }
      upload.signed_pre_key =
          SignedPreKeyRecord{spk.id(), spk.public_key(), spk.signature()};
    }
    absl::StatusOr<uint32_t> count =
        s_.storage.keys().Upload(me.id, upload, limits.max_one_time_pre_keys);
    if (!count.ok()) return count.status();
    resp->set_one_time_pre_key_count(*count);
    return absl::OkStatus();
  }

  Shared& s_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewKeysService(Shared& shared) {
  return std::make_unique<KeysService>(shared);
}

}  // namespace confidant::server
