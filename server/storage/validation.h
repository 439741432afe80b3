// Input checks shared by the Storage implementations, so the in-memory fake
// and RocksDB reject exactly the same malformed records (INVALID_ARGUMENT).
#ifndef CONFIDANT_SERVER_STORAGE_VALIDATION_H_
#define CONFIDANT_SERVER_STORAGE_VALIDATION_H_

#include <string_view>

#include "absl/status/status.h"
#include "server/storage/storage.h"

namespace confidant::server {

inline constexpr size_t kOrganisationIdSize = 16;

absl::Status CheckAccountId(std::string_view id);
// 16 lowercase hex characters.
absl::Status CheckOrganisationId(std::string_view id);
absl::Status CheckHash(std::string_view hash);
// Id, secret hash and organisation ids of `account`.
absl::Status CheckAccount(const AccountRecord& account);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_STORAGE_VALIDATION_H_
