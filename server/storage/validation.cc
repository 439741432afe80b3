#include "server/storage/validation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace confidant::server {

absl::Status CheckAccountId(std::string_view id) {
  if (id.size() != kAccountIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("account id must be ", kAccountIdSize, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckOrganisationId(std::string_view id) {
  if (id.size() != kOrganisationIdSize ||
      !std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return absl::InvalidArgumentError(
        "organisation id must be 16 lowercase hex characters");
  }
  return absl::OkStatus();
}

absl::Status CheckHash(std::string_view hash) {
  if (hash.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("hash must be ", kHashSize, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckAccount(const AccountRecord& account) {
  if (absl::Status s = CheckAccountId(account.id); !s.ok()) return s;
  if (absl::Status s = CheckHash(account.secret_hash); !s.ok()) return s;
  for (const std::string& org : account.organisation_ids) {
    if (absl::Status s = CheckOrganisationId(org); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace confidant::server
