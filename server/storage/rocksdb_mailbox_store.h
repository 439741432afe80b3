// The RocksDB mailbox store (private to server/storage; see
// rocksdb_mailbox_store.cc for its key layout).
#ifndef CONFIDANT_SERVER_STORAGE_ROCKSDB_MAILBOX_STORE_H_
#define CONFIDANT_SERVER_STORAGE_ROCKSDB_MAILBOX_STORE_H_

#include <cstdint>
#include <memory>

#include "server/storage/rocksdb_database.h"
#include "server/storage/storage.h"

namespace confidant::server::rocks {

// A mailbox store on `db`, which must outlive it. Its destructor finishes
// every queued operation. A retention pass deletes `expire_batch` envelopes
// per write batch.
std::unique_ptr<MailboxStore> NewRocksMailboxStore(Database& db,
                                                   uint64_t expire_batch);

}  // namespace confidant::server::rocks

#endif  // CONFIDANT_SERVER_STORAGE_ROCKSDB_MAILBOX_STORE_H_
