// The RocksDB database under the relay's storage (private to server/storage):
// its column families, the key encodings, opening with options that keep fine
// times, host names and logs out of the files, and the forgetting pass that
// rewrites RocksDB's own bookkeeping away (storage.h, "What the files hold").
#ifndef CONFIDANT_SERVER_STORAGE_ROCKSDB_DATABASE_H_
#define CONFIDANT_SERVER_STORAGE_ROCKSDB_DATABASE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/write_batch.h"

namespace confidant::server::rocks {

enum Cf : size_t {
  kDefault,
  kOrganisations,
  kOrgNames,
  kAccessCodes,
  kInvites,
  kAccounts,
  kOrgTrustPersons,
  kIdentityKeys,
  kOneTimePreKeys,
  kMailboxMeta,
  kEnvelopes,
  kExpiry,
  kCfCount,
};

inline constexpr std::array<std::string_view, kCfCount> kCfNames = {
    "default",           "organisations", "org_names",         "access_codes",
    "invites",           "accounts",      "org_trust_persons", "identity_keys",
    "one_time_pre_keys", "mailbox_meta",  "envelopes",         "expiry",
};

inline rocksdb::Slice ToSlice(std::string_view s) {
  return {s.data(), s.size()};
}
inline std::string_view ToView(const rocksdb::Slice& s) {
  return {s.data(), s.size()};
}

// DATA_LOSS for corruption, INTERNAL otherwise; `what` leads the message.
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what);

// One open database with all column families. Thread-safe.
class Database {
 public:
  // Opens the database in `dir`, creating it (and its column families) when
  // `create` is set. The caller has checked that an existing one is ours.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& dir,
                                                        bool create);
  ~Database();  // closes the database
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Cf c) { return handles_[c]; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles() {
    return handles_;
  }

  // The value under `key`, or nullopt if there is none.
  absl::StatusOr<std::optional<std::string>> Lookup(Cf c, std::string_view key);
  std::unique_ptr<rocksdb::Iterator> NewIterator(
      Cf c, const rocksdb::ReadOptions& options = rocksdb::ReadOptions());
  absl::Status WriteSynced(rocksdb::WriteBatch* batch);

  // The forgetting pass. Every write that completed before the call is
  // rewritten into tables that hold only live records, each with sequence
  // number 0 and no tombstone beside it, one sorted run per column family;
  // the write-ahead log that held them is deleted and the MANIFEST lists only
  // those tables. Writes may go on meanwhile (they are left to the next pass).
  // Blocks for as long as the rewrite takes; one pass at a time.
  absl::Status Forget() ABSL_LOCKS_EXCLUDED(forget_mu_);
  // Whether anything was written since the last Forget() began (always true
  // before the first one). Does not wait for a pass under way.
  bool HasUnforgottenWrites();
  // Writes the current records into a new database in `target_dir` (which
  // must not exist) and runs the forgetting pass there, so the copy holds
  // neither deleted records nor write order. Removes what it made on failure.
  absl::Status CopyTo(const std::string& target_dir)
      ABSL_LOCKS_EXCLUDED(forget_mu_);

 private:
  Database(std::unique_ptr<rocksdb::Env> env, std::unique_ptr<rocksdb::DB> db,
           std::vector<rocksdb::ColumnFamilyHandle*> handles);
  absl::Status ForgetLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(forget_mu_);

  std::unique_ptr<rocksdb::Env> env_;  // outlives db_
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Cf

  absl::Mutex forget_mu_;  // one pass (or copy) at a time
  // The sequence number when the last pass began; kNever before the first.
  static constexpr uint64_t kNever = UINT64_MAX;
  std::atomic<uint64_t> forgotten_seq_{kNever};
};

}  // namespace confidant::server::rocks

#endif  // CONFIDANT_SERVER_STORAGE_ROCKSDB_DATABASE_H_
