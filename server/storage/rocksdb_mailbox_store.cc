// The mailbox store on RocksDB: envelopes, per-mailbox counters and the
// expiry index, written by one group-committing writer thread.
//
//   mailbox_meta  mailbox -> last_seq (8) | count (8)
//   envelopes     mailbox | seq (8) -> stored hour (4) | content
//   expiry        stored hour (4) | mailbox | seq (8) -> ""
//
// where mailbox = account id (16) | device id (4).
#include "server/storage/rocksdb_mailbox_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "base/bytes.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "rocksdb/write_batch.h"
#include "server/log.h"
#include "server/storage/validation.h"

namespace confidant::server::rocks {
namespace {

constexpr size_t kMailboxKeySize = kAccountIdSize + 4;
constexpr size_t kEnvelopeKeySize = kMailboxKeySize + 8;
constexpr size_t kExpiryKeySize = 4 + kEnvelopeKeySize;

std::string MailboxKey(const MailboxId& mailbox) {
  std::string key = mailbox.account_id;
  base::PutBigEndian(key, mailbox.device_id, 4);
  return key;
}

std::string EnvelopeKey(std::string_view mailbox_key, uint64_t seq) {
  std::string key(mailbox_key);
  base::PutBigEndian(key, seq, 8);
  return key;
}

std::string ExpiryKey(uint32_t hour, std::string_view envelope_key) {
  std::string key;
  base::PutBigEndian(key, hour, 4);
  key.append(envelope_key);
  return key;
}

struct MailboxMeta {
  uint64_t last_seq = 0;  // kept when the mailbox empties: seqs never reused
  uint64_t count = 0;
};

std::string EncodeMeta(const MailboxMeta& meta) {
  std::string out;
  base::PutBigEndian(out, meta.last_seq, 8);
  base::PutBigEndian(out, meta.count, 8);
  return out;
}

absl::StatusOr<MailboxMeta> DecodeMeta(std::string_view in) {
  if (in.size() != 16) return absl::DataLossError("corrupt mailbox record");
  return MailboxMeta{base::GetBigEndian(in, 8),
                     base::GetBigEndian(in.substr(8), 8)};
}

std::string EncodeEnvelope(uint32_t hour, std::string_view content) {
  std::string out;
  out.reserve(4 + content.size());
  base::PutBigEndian(out, hour, 4);
  out.append(content);
  return out;
}

absl::StatusOr<StoredEnvelope> DecodeEnvelope(uint64_t seq,
                                              std::string_view in) {
  if (in.size() < 4) return absl::DataLossError("corrupt envelope record");
  return StoredEnvelope{seq, std::string(in.substr(4)),
                        static_cast<uint32_t>(base::GetBigEndian(in, 4))};
}

// ---- Mailboxes ----

// All mailbox writes run on one writer thread. Callers queue an operation with
// a callback (the blocking forms wait for theirs); the writer applies
// everything queued to one batch (seqs assigned in queue order), writes it in
// key order with one fsync and then runs every callback.
class RocksMailboxStore : public MailboxStore {
 public:
  RocksMailboxStore(Database& db, uint64_t expire_batch)
      : db_(db),
        expire_batch_(std::max<uint64_t>(1, expire_batch)),
        writer_([this] { RunWriter(); }) {}

  // Finishes every queued operation, then stops the writer.
  ~RocksMailboxStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    writer_.join();
  }

  absl::StatusOr<uint64_t> Append(const MailboxId& mailbox, std::string content,
                                  uint32_t stored_hour,
                                  uint32_t max_queued) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    return Submit(
        NewAppend(mailbox, std::move(content), stored_hour, max_queued));
  }

  void AppendAsync(const MailboxId& mailbox, std::string content,
                   uint32_t stored_hour, uint32_t max_queued,
                   AppendDone done) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) {
      std::move(done)(s);
      return;
    }
    std::unique_ptr<Op> op =
        NewAppend(mailbox, std::move(content), stored_hour, max_queued);
    op->callback = [done = std::move(done)](absl::Status status,
                                            uint64_t seq) mutable {
      if (!status.ok()) {
        std::move(done)(std::move(status));
      } else {
        std::move(done)(seq);
      }
    };
    SubmitAsync(std::move(op));
  }

  void DeleteAsync(const MailboxId& mailbox, std::vector<uint64_t> seqs,
                   DeleteDone done) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) {
      std::move(done)(s);
      return;
    }
    std::unique_ptr<Op> op = NewDelete(mailbox, std::move(seqs));
    op->callback = [done = std::move(done)](absl::Status status,
                                            uint64_t deleted) mutable {
      if (!status.ok()) {
        std::move(done)(std::move(status));
      } else {
        std::move(done)(static_cast<uint32_t>(deleted));
      }
    };
    SubmitAsync(std::move(op));
  }

  absl::StatusOr<std::vector<StoredEnvelope>> Read(const MailboxId& mailbox,
                                                   uint64_t after_seq,
                                                   size_t max_count,
                                                   size_t max_bytes) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    std::vector<StoredEnvelope> out;
    if (after_seq == UINT64_MAX || max_count == 0) return out;
    const std::string mailbox_key = MailboxKey(mailbox);
    size_t bytes = 0;
    // Bounded to this mailbox: without the bound, reading the end of a
    // mailbox walks on over the next mailboxes' deleted, not yet compacted
    // envelopes (38% of relay CPU when receivers keep up). Seq UINT64_MAX is
    // never assigned, so the exclusive bound hides nothing.
    const std::string upper_bound = EnvelopeKey(mailbox_key, UINT64_MAX);
    const rocksdb::Slice upper_bound_slice = ToSlice(upper_bound);
    rocksdb::ReadOptions options;
    options.iterate_upper_bound = &upper_bound_slice;
    std::unique_ptr<rocksdb::Iterator> it =
        db_.NewIterator(kEnvelopes, options);
    for (it->Seek(EnvelopeKey(mailbox_key, after_seq + 1));
         it->Valid() && ToView(it->key()).starts_with(mailbox_key) &&
         out.size() < max_count;
         it->Next()) {
      if (it->key().size() != kEnvelopeKeySize) {
        return absl::DataLossError("corrupt envelope key");
      }
      const uint64_t seq =
          base::GetBigEndian(ToView(it->key()).substr(kMailboxKeySize), 8);
      auto envelope = DecodeEnvelope(seq, ToView(it->value()));
      if (!envelope.ok()) return envelope.status();
      if (!out.empty() && bytes + envelope->content.size() > max_bytes) break;
      bytes += envelope->content.size();
      out.push_back(*std::move(envelope));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return out;
  }

  absl::StatusOr<uint32_t> Delete(const MailboxId& mailbox,
                                  absl::Span<const uint64_t> seqs) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    auto deleted = Submit(
        NewDelete(mailbox, std::vector<uint64_t>(seqs.begin(), seqs.end())));
    if (!deleted.ok()) return deleted.status();
    return static_cast<uint32_t>(*deleted);
  }

  // Deletes in batches of expire_batch_, so one retention pass over a large
  // backlog neither builds one huge write batch nor holds up Send and Ack.
  absl::StatusOr<uint64_t> ExpireBefore(uint32_t cutoff_hour) override {
    uint64_t total = 0;
    for (;;) {
      auto op = std::make_unique<Op>();
      op->kind = Op::Kind::kExpire;
      op->hour = cutoff_hour;
      absl::StatusOr<uint64_t> expired = Submit(std::move(op));
      if (!expired.ok()) return expired.status();
      total += *expired;
      if (*expired < expire_batch_) return total;
    }
  }

  absl::StatusOr<uint64_t> CountQueued() override {
    uint64_t count = 0;
    std::unique_ptr<rocksdb::Iterator> it = db_.NewIterator(kMailboxMeta);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto meta = DecodeMeta(ToView(it->value()));
      if (!meta.ok()) return meta.status();
      count += meta->count;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    return count;
  }

 private:
  struct Op {
    enum class Kind { kAppend, kDelete, kExpire };
    Kind kind = Kind::kAppend;
    std::string mailbox_key;     // append, delete
    std::string content;         // append
    uint32_t hour = 0;           // append: stored hour; expire: cutoff
    uint32_t max_queued = 0;     // append
    std::vector<uint64_t> seqs;  // delete
    absl::Status status;         // set by the writer
    uint64_t result = 0;         // seq, or how many were deleted
    // Run by the writer once the op is done (or failed); then the op is
    // deleted. Queued ops are owned by the queue.
    absl::AnyInvocable<void(absl::Status, uint64_t)> callback;
  };

  static std::unique_ptr<Op> NewAppend(const MailboxId& mailbox,
                                       std::string content,
                                       uint32_t stored_hour,
                                       uint32_t max_queued) {
    auto op = std::make_unique<Op>();
    op->kind = Op::Kind::kAppend;
    op->mailbox_key = MailboxKey(mailbox);
    op->content = std::move(content);
    op->hour = stored_hour;
    op->max_queued = max_queued;
    return op;
  }

  static std::unique_ptr<Op> NewDelete(const MailboxId& mailbox,
                                       std::vector<uint64_t> seqs) {
    auto op = std::make_unique<Op>();
    op->kind = Op::Kind::kDelete;
    op->mailbox_key = MailboxKey(mailbox);
    op->seqs = std::move(seqs);
    return op;
  }

  // Queues `op` and waits for its result.
  absl::StatusOr<uint64_t> Submit(std::unique_ptr<Op> op) {
    absl::Notification done;
    absl::StatusOr<uint64_t> result;
    op->callback = [&done, &result](absl::Status status, uint64_t value) {
      if (status.ok()) {
        result = value;
      } else {
        result = std::move(status);
      }
      done.Notify();
    };
    SubmitAsync(std::move(op));
    done.WaitForNotification();
    return result;
  }

  void SubmitAsync(std::unique_ptr<Op> op) {
    {
      absl::MutexLock lock(&queue_mu_);
      if (!stopping_) {
        queue_.push_back(op.release());
        return;
      }
    }
    op->callback(absl::FailedPreconditionError("storage is closing"), 0);
  }

  // Runs the op's callback and deletes it.
  static void Finish(Op* op) {
    std::unique_ptr<Op> owned(op);
    owned->callback(std::move(owned->status), owned->result);
  }

  bool HasWorkOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(queue_mu_) {
    return stopping_ || !queue_.empty();
  }

  void RunWriter() {
    for (;;) {
      std::vector<Op*> group;
      {
        absl::MutexLock lock(&queue_mu_);
        queue_mu_.Await(
            absl::Condition(this, &RocksMailboxStore::HasWorkOrStopping));
        if (queue_.empty()) return;  // stopping, and everything is done
        group.swap(queue_);
      }
      CommitGroup(group);
    }
  }

  // Each Apply* first reads, then either fails without touching the batch or
  // the cache, or adds its writes to both.
  void CommitGroup(const std::vector<Op*>& group) {
    // Bounded memory with many mailboxes; entries reload from disk on use.
    if (meta_cache_.size() > kMetaCacheLimit) meta_cache_.clear();
    rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0,
                                       /*overwrite_key=*/true);
    batch_status_ = rocksdb::Status::OK();
    std::vector<Op*> applied;
    for (Op* op : group) {
      switch (op->kind) {
        case Op::Kind::kAppend:
          op->status = ApplyAppend(*op, batch);
          break;
        case Op::Kind::kDelete:
          op->status = ApplyDelete(*op, batch);
          break;
        case Op::Kind::kExpire:
          op->status = ApplyExpire(*op, batch);
          break;
      }
      if (op->status.ok()) {
        applied.push_back(op);
      } else {
        Finish(op);
      }
    }
    absl::Status written = FromRocks(batch_status_, "mailbox batch failed");
    if (written.ok() && batch.GetWriteBatch()->Count() > 0) {
      rocksdb::WriteBatch sorted;
      written = SortedByKey(batch, &sorted);
      if (written.ok()) written = db_.WriteSynced(&sorted);
    }
    if (!written.ok()) {
      meta_cache_.clear();  // reload what really is on disk
      Log(LogLevel::kError,
          absl::StrCat("storage: mailbox write failed: ", written.message()));
    }
    for (Op* op : applied) {
      if (!written.ok()) op->status = written;
      Finish(op);
    }
  }

  // The group's writes in key order, the last one per key: the log then
  // holds no arrival order within the group, nor the overwritten counters.
  absl::Status SortedByKey(rocksdb::WriteBatchWithIndex& batch,
                           rocksdb::WriteBatch* out) {
    for (Cf cf : {kMailboxMeta, kEnvelopes, kExpiry}) {
      std::unique_ptr<rocksdb::WBWIIterator> it(batch.NewIterator(db_.cf(cf)));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const rocksdb::WriteEntry entry = it->Entry();
        rocksdb::Status s;
        switch (entry.type) {
          case rocksdb::kPutRecord:
            s = out->Put(db_.cf(cf), entry.key, entry.value);
            break;
          case rocksdb::kDeleteRecord:
            s = out->Delete(db_.cf(cf), entry.key);
            break;
          default:
            return absl::InternalError("unexpected mailbox batch entry");
        }
        if (!s.ok()) return FromRocks(s, "mailbox batch failed");
      }
      if (!it->status().ok()) {
        return FromRocks(it->status(), "mailbox batch failed");
      }
    }
    return absl::OkStatus();
  }

  absl::Status ApplyAppend(Op& op, rocksdb::WriteBatchWithIndex& batch) {
    auto meta = LoadMeta(op.mailbox_key);
    if (!meta.ok()) return meta.status();
    if ((*meta)->count >= op.max_queued) {
      return absl::ResourceExhaustedError("mailbox is full");
    }
    const uint64_t seq = (*meta)->last_seq + 1;
    const std::string key = EnvelopeKey(op.mailbox_key, seq);
    Put(batch, kEnvelopes, key, EncodeEnvelope(op.hour, op.content));
    Put(batch, kExpiry, ExpiryKey(op.hour, key), "");
    (*meta)->last_seq = seq;
    ++(*meta)->count;
    Put(batch, kMailboxMeta, op.mailbox_key, EncodeMeta(**meta));
    op.result = seq;
    return absl::OkStatus();
  }

  absl::Status ApplyDelete(Op& op, rocksdb::WriteBatchWithIndex& batch) {
    std::sort(op.seqs.begin(), op.seqs.end());
    op.seqs.erase(std::unique(op.seqs.begin(), op.seqs.end()), op.seqs.end());
    std::vector<std::pair<std::string, uint32_t>> found;  // key, stored hour
    for (uint64_t seq : op.seqs) {
      std::string key = EnvelopeKey(op.mailbox_key, seq);
      std::string value;
      rocksdb::Status s = batch.GetFromBatchAndDB(
          db_.db(), rocksdb::ReadOptions(), db_.cf(kEnvelopes), key, &value);
      if (s.IsNotFound()) continue;
      if (!s.ok()) return FromRocks(s, "storage read failed");
      auto envelope = DecodeEnvelope(seq, value);
      if (!envelope.ok()) return envelope.status();
      found.emplace_back(std::move(key), envelope->stored_hour);
    }
    op.result = found.size();
    if (found.empty()) return absl::OkStatus();
    auto meta = LoadMeta(op.mailbox_key);
    if (!meta.ok()) return meta.status();
    for (const auto& [key, hour] : found) {
      Delete(batch, kEnvelopes, key);
      Delete(batch, kExpiry, ExpiryKey(hour, key));
    }
    (*meta)->count -= std::min<uint64_t>((*meta)->count, found.size());
    Put(batch, kMailboxMeta, op.mailbox_key, EncodeMeta(**meta));
    return absl::OkStatus();
  }

  absl::Status ApplyExpire(Op& op, rocksdb::WriteBatchWithIndex& batch) {
    std::string end;
    base::PutBigEndian(end, op.hour, 4);
    std::vector<std::string> due;  // expiry keys
    std::unique_ptr<rocksdb::Iterator> it(batch.NewIteratorWithBase(
        db_.cf(kExpiry),
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kExpiry))));
    for (it->SeekToFirst(); it->Valid() && it->key().compare(end) < 0 &&
                            due.size() < expire_batch_;
         it->Next()) {
      if (it->key().size() != kExpiryKeySize) {
        return absl::DataLossError("corrupt expiry entry");
      }
      due.push_back(it->key().ToString());
    }
    if (!it->status().ok()) return FromRocks(it->status(), "storage scan");
    std::unordered_map<std::string, MailboxMeta*> touched;
    for (const std::string& key : due) {
      std::string mailbox_key = key.substr(4, kMailboxKeySize);
      if (touched.contains(mailbox_key)) continue;
      auto meta = LoadMeta(mailbox_key);
      if (!meta.ok()) return meta.status();
      touched.emplace(std::move(mailbox_key), *meta);
    }
    for (const std::string& key : due) {
      MailboxMeta* meta = touched.at(key.substr(4, kMailboxKeySize));
      if (meta->count > 0) --meta->count;
      Delete(batch, kEnvelopes, std::string_view(key).substr(4));
      Delete(batch, kExpiry, key);
    }
    for (const auto& [mailbox_key, meta] : touched) {
      Put(batch, kMailboxMeta, mailbox_key, EncodeMeta(*meta));
    }
    op.result = due.size();
    return absl::OkStatus();
  }

  // The cached meta of `mailbox_key`, loaded from disk on first use. The
  // pointer stays valid until the cache is cleared.
  absl::StatusOr<MailboxMeta*> LoadMeta(const std::string& mailbox_key) {
    auto cached = meta_cache_.find(mailbox_key);
    if (cached != meta_cache_.end()) return &cached->second;
    auto value = db_.Lookup(kMailboxMeta, mailbox_key);
    if (!value.ok()) return value.status();
    MailboxMeta meta;
    if (value->has_value()) {
      auto decoded = DecodeMeta(**value);
      if (!decoded.ok()) return decoded.status();
      meta = *decoded;
    }
    return &meta_cache_.emplace(mailbox_key, meta).first->second;
  }

  void Put(rocksdb::WriteBatchWithIndex& batch, Cf cf, std::string_view key,
           std::string_view value) {
    if (batch_status_.ok()) {
      batch_status_ = batch.Put(db_.cf(cf), ToSlice(key), ToSlice(value));
    }
  }

  void Delete(rocksdb::WriteBatchWithIndex& batch, Cf cf,
              std::string_view key) {
    if (batch_status_.ok()) {
      batch_status_ = batch.Delete(db_.cf(cf), ToSlice(key));
    }
  }

  Database& db_;
  const uint64_t expire_batch_;

  absl::Mutex queue_mu_;
  std::vector<Op*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  // Mailbox metas kept in memory; the cache is dropped between write groups
  // when it grows past this (each entry is about 100 bytes).
  static constexpr size_t kMetaCacheLimit = 100000;
  // Used by the writer thread only. Node-based so pointers stay valid within
  // one write group.
  std::unordered_map<std::string, MailboxMeta> meta_cache_;
  rocksdb::Status batch_status_;

  std::thread writer_;  // last: starts after everything above is constructed
};

}  // namespace

std::unique_ptr<MailboxStore> NewRocksMailboxStore(Database& db,
                                                   uint64_t expire_batch) {
  return std::make_unique<RocksMailboxStore>(db, expire_batch);
}

}  // namespace confidant::server::rocks
