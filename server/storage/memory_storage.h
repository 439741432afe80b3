// In-memory Storage for tests: same contract as the RocksDB one, nothing on
// disk. Thread-safe.
#ifndef CONFIDANT_SERVER_STORAGE_MEMORY_STORAGE_H_
#define CONFIDANT_SERVER_STORAGE_MEMORY_STORAGE_H_

#include <memory>

#include "server/storage/storage.h"

namespace confidant::server {

std::unique_ptr<Storage> NewMemoryStorage();

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_STORAGE_MEMORY_STORAGE_H_
