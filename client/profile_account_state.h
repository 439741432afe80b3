// AccountState kept in the encrypted profile (Namespace::kMeta, key
// "account") with a small versioned binary encoding.
#ifndef CONFIDANT_CLIENT_PROFILE_ACCOUNT_STATE_H_
#define CONFIDANT_CLIENT_PROFILE_ACCOUNT_STATE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/account.h"
#include "client/profile_store.h"

namespace confidant::client {

// The profile key of the account state in Namespace::kMeta.
inline constexpr char kAccountStateKey[] = "account";

// Encodes every field of `state`: version byte 1, then fixed-width
// big-endian integers and u32-length-prefixed byte strings. Holds the
// secret: wipe the result after use.
std::string EncodeAccountState(const AccountState& state);
// Parses EncodeAccountState() output. DATA_LOSS for a truncated, overlong or
// malformed encoding; FAILED_PRECONDITION for an unknown version.
absl::StatusOr<AccountState> DecodeAccountState(std::string_view bytes);

// AccountStateStore over a ProfileStore, which must outlive it. Thread-safe.
class ProfileAccountStateStore final : public AccountStateStore {
 public:
  explicit ProfileAccountStateStore(ProfileStore& profile)
      : profile_(profile) {}

  absl::StatusOr<std::optional<AccountState>> Load() override;
  absl::Status Save(const AccountState& state) override;

 private:
  ProfileStore& profile_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_PROFILE_ACCOUNT_STATE_H_
