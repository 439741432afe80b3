// The Mailbox service (relay.proto): Send stores an envelope for a peer the
// sender may talk to and wakes the peer's Receive streams; Ack deletes the
// caller's own envelopes; Receive is receive_reactor.cc. Send and Ack finish
// on the storage writer once the write is durable.
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "confidant/v1/wire.h"
#include "server/relay_service_internal.h"

namespace confidant::server {
namespace {

using Shared = RelayServices::Shared;
using RawMailbox = v1::Mailbox::WithRawCallbackMethod_Send<
    v1::Mailbox::WithRawCallbackMethod_Receive<
        v1::Mailbox::WithRawCallbackMethod_Ack<v1::Mailbox::Service>>>;

class MailboxService final : public RawMailbox {
 public:
  explicit MailboxService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* Send(grpc::CallbackServerContext* call,
                                 const grpc::ByteBuffer* in,
                                 grpc::ByteBuffer* out) override {
    return s_.UnaryAsync<v1::SendRequest, v1::SendResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& ctx, v1::SendRequest& req,
               Shared::Done<v1::SendResponse> done) {
          absl::StatusOr<MailboxId> mailbox = CheckSend(ctx, req);
          if (!mailbox.ok()) {
            std::move(done)(mailbox.status());
            return;
          }
          // Runs on the storage writer once the envelope is durable.
          auto appended =
              [this, key = MailboxKey(*mailbox),
               done = std::move(done)](absl::StatusOr<uint64_t> seq) mutable {
                if (!seq.ok()) {
                  if (absl::IsResourceExhausted(seq.status())) {
                    std::move(done)(absl::ResourceExhaustedError(
                        "the recipient's mailbox is full; try again later"));
                  } else {
                    std::move(done)(seq.status());
                  }
                  return;
                }
                v1::SendResponse response;
                response.set_seq(*seq);
                s_.hub.Notify(key);
                std::move(done)(std::move(response));
              };
          s_.storage.mailboxes().AppendAsync(
              *mailbox, std::move(*req.mutable_content()), s_.clock.NowHour(),
              s_.limits.max_queued_per_mailbox, std::move(appended));
        });
  }

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Receive(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* in) override {
    return NewReceiveReactor(s_, ctx, in);
  }

  grpc::ServerUnaryReactor* Ack(grpc::CallbackServerContext* call,
                                const grpc::ByteBuffer* in,
                                grpc::ByteBuffer* out) override {
    return s_.UnaryAsync<v1::AckRequest, v1::AckResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& ctx,
               const v1::AckRequest& req, Shared::Done<v1::AckResponse> done) {
          absl::StatusOr<MailboxId> mailbox = CheckAck(ctx, req);
          if (!mailbox.ok()) {
            std::move(done)(mailbox.status());
            return;
          }
          s_.storage.mailboxes().DeleteAsync(
              *mailbox,
              std::vector<uint64_t>(req.seqs().begin(), req.seqs().end()),
              [done =
                   std::move(done)](absl::StatusOr<uint32_t> deleted) mutable {
                if (!deleted.ok()) {
                  std::move(done)(deleted.status());
                  return;
                }
                v1::AckResponse response;
                response.set_deleted(*deleted);
                std::move(done)(std::move(response));
              });
        });
  }

 private:
  // Everything Send checks before storing: the sender, the recipient, the
  // content and the rate limits. Returns the recipient's mailbox.
  absl::StatusOr<MailboxId> CheckSend(const grpc::CallbackServerContext& ctx,
                                      const v1::SendRequest& req) {
    absl::StatusOr<AccountRecord> me = s_.Authenticate(ctx);
    if (!me.ok()) return me.status();
    absl::Status st =
        ValidateAccountId(req.recipient_account_id(), "recipient_account_id");
    if (!st.ok()) return st;
    absl::StatusOr<uint32_t> device = ValidateDevice(req.recipient_device_id());
    if (!device.ok()) return device.status();
    if (req.content().empty()) {
      return absl::InvalidArgumentError("content is empty");
    }
    if (req.content().size() > s_.limits.max_envelope_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("content is larger than the limit of ",
                       s_.limits.max_envelope_bytes, " bytes"));
    }
    if (!s_.send_limiter.TryAcquire(me->id) ||
        !s_.send_bytes_limiter.TryAcquire(
            me->id, static_cast<double>(req.content().size()))) {
      return absl::ResourceExhaustedError("sending too fast; try again later");
    }
    absl::StatusOr<AccountRecord> peer =
        s_.storage.accounts().Get(req.recipient_account_id());
    if (!peer.ok() && !absl::IsNotFound(peer.status())) return peer.status();
    if (!peer.ok() || !MayTalk(*me, *peer)) {
      return absl::PermissionDeniedError(
          "no such recipient among the people you may contact");
    }
    return MailboxId{peer->id, *device};
  }

  // Everything Ack checks before deleting. Returns the caller's mailbox.
  absl::StatusOr<MailboxId> CheckAck(const grpc::CallbackServerContext& ctx,
                                     const v1::AckRequest& req) {
    absl::StatusOr<MailboxId> mailbox =
        s_.OwnMailbox(ctx, req.account_id(), req.device_id());
    if (!mailbox.ok()) return mailbox.status();
    if (req.seqs().empty() ||
        req.seqs_size() > static_cast<int>(wire::kMaxAcksPerCall)) {
      return absl::InvalidArgumentError("seqs must hold 1..1000 entries");
    }
    return mailbox;
  }

 private:
  Shared& s_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewMailboxService(Shared& shared) {
  return std::make_unique<MailboxService>(shared);
}

}  // namespace confidant::server
