// The App's report and invoice: the organisation chosen, the names filled
// in, and the figures of the trust person's case files passed to
// client/app/report.h and client/app/invoice.h.
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/bytes.h"
#include "client/app/app.h"
#include "client/app/app_stack.h"
#include "client/case_policy.h"

namespace confidant::client {
namespace {

constexpr char kInvoiceNextPrefix[] = "invoice.next.";

}  // namespace

absl::StatusOr<Organisation> App::ServedOrganisation(
    std::string_view organisation_id) const {
  const std::vector<Organisation> orgs = organisations();
  if (organisation_id.empty()) {
    if (orgs.size() == 1) return orgs.front();
    return absl::InvalidArgumentError(
        "choose the organisation: you serve several");
  }
  for (const Organisation& o : orgs) {
    if (o.id == organisation_id) return o;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "you do not serve organisation ", std::string(organisation_id)));
}

absl::StatusOr<std::string> App::OwnName() {
  absl::StatusOr<v1::CaseworkSettings> settings = CaseworkSettings();
  if (!settings.ok()) return settings.status();
  if (!settings->invoicing().name().empty())
    return settings->invoicing().name();
  absl::StatusOr<TrustPersonList> directory = TrustPersons("");
  if (!directory.ok()) return directory.status();
  for (const DirectoryEntry& entry : directory->trust_persons) {
    if (entry.account_id == account_id()) return entry.profile.display_name;
  }
  return absl::FailedPreconditionError(
      "your name is not in the directory; give it for the report");
}

absl::StatusOr<Report> App::OrganisationReport(std::string_view organisation_id,
                                               ReportOptions options,
                                               int* left_out) {
  if (absl::Status s = MayKeepCaseFiles(kind()); !s.ok()) return s;
  absl::StatusOr<Organisation> org = ServedOrganisation(organisation_id);
  if (!org.ok()) return org.status();
  if (options.organisation_name.empty()) options.organisation_name = org->name;
  if (options.categories.empty()) {
    absl::StatusOr<std::vector<v1::Category>> categories = Categories();
    if (!categories.ok()) return categories.status();
    options.categories = *std::move(categories);
  }
  if (options.trust_person_name.empty()) {
    absl::StatusOr<std::string> name = OwnName();
    if (!name.ok()) return name.status();
    options.trust_person_name = *std::move(name);
  }
  absl::StatusOr<ReportCases> cases = stack_->case_files->ForReport(
      org->id, organisations().size() == 1, Now());
  if (!cases.ok()) return cases.status();
  if (left_out != nullptr) *left_out = cases->without_organisation;
  return BuildReport(cases->cases, options);
}

absl::StatusOr<Invoice> App::OrganisationInvoice(
    std::string_view organisation_id, InvoiceOptions options, bool draft) {
  if (absl::Status s = MayKeepCaseFiles(kind()); !s.ok()) return s;
  absl::StatusOr<Organisation> org = ServedOrganisation(organisation_id);
  if (!org.ok()) return org.status();
  absl::StatusOr<v1::CaseworkSettings> settings = CaseworkSettings();
  if (!settings.ok()) return settings.status();
  const v1::Invoicing& inv = settings->invoicing();
  InvoiceIssuer& issuer = options.issuer;
  if (issuer.name.empty()) issuer.name = inv.name();
  if (issuer.practice.empty()) issuer.practice = inv.practice();
  if (issuer.address_lines.empty()) {
    issuer.address_lines.assign(inv.address_lines().begin(),
                                inv.address_lines().end());
  }
  if (issuer.kvk_number.empty()) issuer.kvk_number = inv.kvk_number();
  if (issuer.vat_number.empty()) issuer.vat_number = inv.vat_number();
  if (issuer.iban.empty()) issuer.iban = inv.iban();
  if (issuer.email.empty()) issuer.email = inv.email();
  if (options.hourly_rate_cents == 0) {
    options.hourly_rate_cents = inv.hourly_rate_cents();
  }
  if (inv.has_vat_basis_points()) {
    options.vat_basis_points = inv.vat_basis_points();
  }
  if (inv.has_payment_term_days()) {
    options.payment_term_days = inv.payment_term_days();
  }
  if (options.recipient_name.empty()) options.recipient_name = org->name;
  const absl::CivilDay today = absl::ToCivilDay(Now(), time_zone());
  if (options.invoice_date == absl::CivilDay()) options.invoice_date = today;
  absl::StatusOr<ReportCases> cases = stack_->case_files->ForReport(
      org->id, organisations().size() == 1, Now());
  if (!cases.ok()) return cases.status();
  const bool numbered = options.invoice_number.empty();
  std::string counter_key;
  uint32_t next = 1;
  if (numbered) {
    counter_key = absl::StrCat(kInvoiceNextPrefix, today.year());
    absl::StatusOr<std::optional<std::string>> raw =
        stack_->profile->Get(Namespace::kMeta, counter_key);
    if (!raw.ok()) return raw.status();
    if (raw->has_value()) {
      if ((*raw)->size() != 4) {
        return absl::DataLossError("the invoice counter is corrupt");
      }
      next = static_cast<uint32_t>(base::GetBigEndian(**raw, 4));
    }
    options.invoice_number = absl::StrFormat("%d-%03u", today.year(), next);
  }
  absl::StatusOr<Invoice> invoice = BuildInvoice(
      WorkOfCases(cases->cases, options.from, options.to), options);
  if (!invoice.ok() || !numbered || draft) return invoice;
  // The number is used once the invoice is made.
  std::string bumped;
  base::PutBigEndian(bumped, next + 1, 4);
  if (absl::Status s =
          stack_->profile->Put(Namespace::kMeta, counter_key, bumped);
      !s.ok()) {
    return s;
  }
  return invoice;
}

}  // namespace confidant::client
