// The words the CLI uses for case-work values, both ways.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli.h"

namespace confidant::cli {
namespace {

using client::v1::CaseEvent;
using client::v1::CaseFile;

template <typename Enum>
using Names = std::vector<std::pair<Enum, const char*>>;

const Names<CaseFile::Status>& StatusNames() {
  static const auto* names =
      new Names<CaseFile::Status>{{CaseFile::NEW, "new"},
                                  {CaseFile::IN_PROGRESS, "in-progress"},
                                  {CaseFile::WAITING_FOR_EMPLOYEE, "waiting"},
                                  {CaseFile::CLOSED, "closed"}};
  return *names;
}
const Names<CaseFile::ReporterRole>& RoleNames() {
  static const auto* names =
      new Names<CaseFile::ReporterRole>{{CaseFile::ROLE_UNSPECIFIED, "none"},
                                        {CaseFile::EMPLOYEE, "employee"},
                                        {CaseFile::MANAGER, "manager"},
                                        {CaseFile::HR, "hr"},
                                        {CaseFile::OTHER_ROLE, "other"}};
  return *names;
}
const Names<CaseFile::Support>& SupportNames() {
  static const auto* names = new Names<CaseFile::Support>{
      {CaseFile::LISTENING_AND_ADVICE, "listening"},
      {CaseFile::REFERRAL, "referral"},
      {CaseFile::MEDIATION, "mediation"},
      {CaseFile::FORMAL_COMPLAINT_SUPPORT, "complaint"},
      {CaseFile::WHISTLEBLOWER_REPORT, "whistleblower"}};
  return *names;
}
const Names<CaseFile::Referral>& ReferralNames() {
  static const auto* names = new Names<CaseFile::Referral>{
      {CaseFile::COMPANY_DOCTOR, "company-doctor"},
      {CaseFile::GENERAL_PRACTITIONER, "gp"},
      {CaseFile::MEDIATOR, "mediator"},
      {CaseFile::LAWYER, "lawyer"},
      {CaseFile::COMPLAINTS_COMMITTEE, "complaints-committee"},
      {CaseFile::POLICE, "police"},
      {CaseFile::SOCIAL_WORK, "social-work"},
      {CaseFile::OTHER_REFERRAL, "other"}};
  return *names;
}
const Names<CaseFile::Outcome>& OutcomeNames() {
  static const auto* names = new Names<CaseFile::Outcome>{
      {CaseFile::OUTCOME_UNSPECIFIED, "none"},
      {CaseFile::RESOLVED, "resolved"},
      {CaseFile::REFERRED, "referred"},
      {CaseFile::FORMAL_COMPLAINT, "formal-complaint"},
      {CaseFile::WITHDRAWN, "withdrawn"},
      {CaseFile::NO_FURTHER_CONTACT, "no-further-contact"},
      {CaseFile::OTHER_OUTCOME, "other"}};
  return *names;
}
const Names<CaseEvent::SharedStatus>& SharedNames() {
  static const auto* names = new Names<CaseEvent::SharedStatus>{
      {CaseEvent::RECEIVED, "received"},
      {CaseEvent::IN_PROGRESS, "in-progress"},
      {CaseEvent::CLOSED, "closed"}};
  return *names;
}
const Names<CaseEvent::HandoverReason>& ReasonNames() {
  static const auto* names = new Names<CaseEvent::HandoverReason>{
      {CaseEvent::CONFLICT_OF_INTEREST, "conflict-of-interest"},
      {CaseEvent::OTHER_PARTY_HAS_THIS_TRUST_PERSON, "other-party"},
      {CaseEvent::ABSENCE, "absence"}};
  return *names;
}
const Names<CaseEvent::Mode>& ModeNames() {
  static const auto* names =
      new Names<CaseEvent::Mode>{{CaseEvent::ONLINE, "online"},
                                 {CaseEvent::PHONE, "phone"},
                                 {CaseEvent::ON_LOCATION, "location"}};
  return *names;
}

template <typename Enum>
std::string NameOf(const Names<Enum>& names, Enum value) {
  for (const auto& [v, n] : names) {
    if (v == value) return n;
  }
  return "unknown";
}

template <typename Enum>
absl::StatusOr<Enum> Parse(const Names<Enum>& names, std::string_view word,
                           const char* what) {
  std::vector<std::string> known;
  for (const auto& [v, n] : names) {
    if (word == n) return v;
    known.push_back(n);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", what, " '", std::string(word), "'; one of ",
                   absl::StrJoin(known, ", ")));
}

}  // namespace

std::string Name(CaseFile::Status v) { return NameOf(StatusNames(), v); }
std::string Name(CaseFile::ReporterRole v) { return NameOf(RoleNames(), v); }
std::string Name(CaseFile::Support v) { return NameOf(SupportNames(), v); }
std::string Name(CaseFile::Referral v) { return NameOf(ReferralNames(), v); }
std::string Name(CaseFile::Outcome v) { return NameOf(OutcomeNames(), v); }
std::string Name(CaseEvent::SharedStatus v) { return NameOf(SharedNames(), v); }
std::string Name(CaseEvent::HandoverReason v) {
  return NameOf(ReasonNames(), v);
}
std::string Name(CaseEvent::Mode v) { return NameOf(ModeNames(), v); }

absl::StatusOr<CaseFile::Status> ParseStatus(std::string_view w) {
  return Parse(StatusNames(), w, "status");
}
absl::StatusOr<CaseFile::ReporterRole> ParseRole(std::string_view w) {
  return Parse(RoleNames(), w, "role");
}
absl::StatusOr<CaseFile::Support> ParseSupport(std::string_view w) {
  return Parse(SupportNames(), w, "kind of support");
}
absl::StatusOr<CaseFile::Referral> ParseReferral(std::string_view w) {
  return Parse(ReferralNames(), w, "referral");
}
absl::StatusOr<CaseFile::Outcome> ParseOutcome(std::string_view w) {
  return Parse(OutcomeNames(), w, "outcome");
}
absl::StatusOr<CaseEvent::SharedStatus> ParseShared(std::string_view w) {
  return Parse(SharedNames(), w, "shared status");
}
absl::StatusOr<CaseEvent::HandoverReason> ParseReason(std::string_view w) {
  return Parse(ReasonNames(), w, "reason");
}
absl::StatusOr<CaseEvent::Mode> ParseMode(std::string_view w) {
  return Parse(ModeNames(), w, "mode");
}

std::string SharedText(CaseEvent::SharedStatus v) {
  switch (v) {
    case CaseEvent::RECEIVED:
      return "ontvangen / received";
    case CaseEvent::IN_PROGRESS:
      return "in behandeling / in progress";
    case CaseEvent::CLOSED:
      return "afgesloten / closed";
    default:
      return "onbekend / unknown";
  }
}

}  // namespace confidant::cli
