// A trust person's registration of cases: the human case number, status,
// categories, reporter role, kind of support, referrals, outcome, number of
// conversations, time spent and private notes. All of it stays in the trust
// person's profile; none of it is ever sent.
//
// Storage (docs/profile.md):
//   kCaseFile  case id -> CaseFile (proto/confidant/client/v1/message.proto)
//   kMeta "casework.categories"   CategoryList (the defaults until changed)
//   kMeta "casework.next.<year>"  the next case number of that year (u32)
//
// Policy, in one place: only a trust person keeps case files
// (PERMISSION_DENIED otherwise), only for a case that exists (NOT_FOUND).
#ifndef CONFIDANT_CLIENT_APP_CASEWORK_H_
#define CONFIDANT_CLIENT_APP_CASEWORK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/messenger.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

// The longest private note, in bytes of UTF-8.
inline constexpr size_t kMaxNoteBytes = 16 * 1024;

// What Dutch trust persons report on, in Dutch and English: the list a new
// profile starts with.
std::vector<v1::Category> DefaultCategories();

// A change to a case file; unset fields stay as they are.
struct CaseFileUpdate {
  std::optional<v1::CaseFile::Status> status;
  std::optional<std::string> organisation_id;
  std::optional<std::vector<std::string>> categories;  // keys
  std::optional<v1::CaseFile::ReporterRole> reporter_role;
  std::optional<std::vector<v1::CaseFile::Support>> support;
  std::optional<std::vector<v1::CaseFile::Referral>> referrals;
  std::optional<v1::CaseFile::Outcome> outcome;
  std::optional<uint32_t> conversations;
  // Added to the time spent (may be negative to correct; never below 0).
  std::optional<int32_t> add_minutes;
};

// The case files of one trust person's profile. Thread-safe.
class CaseFiles {
 public:
  // `time_zone` decides the year of a case number (Europe/Amsterdam by
  // default in the app).
  CaseFiles(ProfileStore& profile, Messenger& messenger, AccountKind kind,
            absl::TimeZone time_zone);

  // The file of `case_id`; registered with the next case number of the
  // year at `now` if it has none yet (status NEW).
  absl::StatusOr<v1::CaseFile> Get(std::string_view case_id, absl::Time now);
  // Applies `update`. INVALID_ARGUMENT for an unknown category key or
  // enum value, or an organisation id that is not 16 hex digits (nothing
  // changed). Closing records the time; reopening clears it.
  absl::StatusOr<v1::CaseFile> Update(std::string_view case_id,
                                      const CaseFileUpdate& update,
                                      absl::Time now);
  // Adds a private note (UTF-8, 1..kMaxNoteBytes).
  absl::StatusOr<v1::CaseFile> AddNote(std::string_view case_id,
                                       std::string_view text, absl::Time now);

  // The trust person's categories, and the list replaced (keys unique,
  // lowercase a-z, 0-9 and '-', names non-empty; a key in use by a case
  // file cannot be removed: FAILED_PRECONDITION).
  absl::StatusOr<std::vector<v1::Category>> Categories();
  absl::Status SetCategories(const std::vector<v1::Category>& categories);

 private:
  absl::Status Allowed(std::string_view case_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<v1::CaseFile> GetLocked(std::string_view case_id,
                                         absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<v1::Category>> CategoriesLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ProfileStore& profile_;
  Messenger& messenger_;
  const AccountKind kind_;
  const absl::TimeZone time_zone_;
  absl::Mutex mu_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_CASEWORK_H_
