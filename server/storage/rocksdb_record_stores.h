// The RocksDB organisation, account and key stores (private to
// server/storage; see rocksdb_record_stores.cc for their key layout).
#ifndef CONFIDANT_SERVER_STORAGE_ROCKSDB_RECORD_STORES_H_
#define CONFIDANT_SERVER_STORAGE_ROCKSDB_RECORD_STORES_H_

#include <memory>

#include "server/storage/rocksdb_database.h"
#include "server/storage/storage.h"

namespace confidant::server::rocks {

// Stores on `db`, which must outlive them. Each serialises its own writes.
std::unique_ptr<OrganisationStore> NewRocksOrganisationStore(Database& db);
std::unique_ptr<AccountStore> NewRocksAccountStore(Database& db);
std::unique_ptr<KeyStore> NewRocksKeyStore(Database& db);

}  // namespace confidant::server::rocks

#endif  // CONFIDANT_SERVER_STORAGE_ROCKSDB_RECORD_STORES_H_
