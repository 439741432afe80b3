// The anonymised invoice of a trust person to an organisation for a period
// of whole months: number of cases, conversations and hours, the hourly
// rate, subtotal, VAT and total. Nothing on it identifies a case: no case
// numbers, no subjects, no date finer than the month (docs/report.md,
// "Invoice"). Money is integer euro cents; the rounding is stated on the
// invoice. Pure and UI-free; thread-compatible.
#ifndef CONFIDANT_CLIENT_APP_INVOICE_H_
#define CONFIDANT_CLIENT_APP_INVOICE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "client/app/pdf_document.h"
#include "client/app/report.h"
#include "client/app/report_text.h"

namespace confidant::client {

// Who sends the invoice: the trust person's practice.
struct InvoiceIssuer {
  std::string name;                        // the trust person; required
  std::string practice;                    // trade name, optional
  std::vector<std::string> address_lines;  // at least one
  std::string kvk_number;  // Dutch Chamber of Commerce: 8 digits
  std::string vat_number;  // e.g. "NL123456789B01"
  std::string iban;        // checked (ISO 13616 mod 97); spaces allowed
  std::string email;       // optional
};

// One case's work in the period, as far as billing needs it.
struct InvoiceWork {
  uint32_t conversations = 0;
  uint32_t minutes = 0;
};

// The highest hourly rate accepted, in cents (EUR 100,000).
inline constexpr int64_t kMaxHourlyRateCents = 10'000'000;

struct InvoiceOptions {
  InvoiceIssuer issuer;
  std::string recipient_name;  // the organisation; required
  std::vector<std::string> recipient_address_lines;  // optional
  std::string invoice_number;  // 1..32 printable ASCII characters
  absl::CivilDay invoice_date;
  int payment_term_days = 30;     // 0..365
  absl::CivilMonth from, to;      // inclusive
  int64_t hourly_rate_cents = 0;  // 0..kMaxHourlyRateCents
  int vat_basis_points = 2100;    // 21%; 0..10000
  ReportLanguage language = ReportLanguage::kDutch;
};

struct Invoice {
  InvoiceOptions options;
  absl::CivilDay due_date;
  int64_t cases = 0;
  int64_t conversations = 0;
  int64_t minutes = 0;
  // minutes / 60 in hundredths of an hour, rounded half up: what is billed.
  int64_t hours_hundredths = 0;
  // hours_hundredths * rate / 100, rounded half up to the cent.
  int64_t subtotal_cents = 0;
  // subtotal * vat_basis_points / 10000, rounded half up to the cent.
  int64_t vat_cents = 0;
  int64_t total_cents = 0;  // subtotal + VAT
};

// The work of the cases registered in the months [from, to]: one
// InvoiceWork per case, in no particular order, with nothing else of them.
std::vector<InvoiceWork> WorkOfCases(const std::vector<ReportCase>& cases,
                                     absl::CivilMonth from,
                                     absl::CivilMonth to);

// The invoice for `work`. INVALID_ARGUMENT, nothing built, for a period
// that ends before it starts, no work in it, a negative or too high rate, a
// VAT rate outside 0..100%, a missing name, address, invoice number or a
// malformed KvK number, VAT number or IBAN, text that is not UTF-8.
absl::StatusOr<Invoice> BuildInvoice(const std::vector<InvoiceWork>& work,
                                     const InvoiceOptions& options);

// CSV with the header `field,label,value`; amounts in euros with a point
// and two decimals ("1234.56"), hours likewise (docs/report.md).
std::string InvoiceToCsv(const Invoice& invoice);

// A printable A4 PDF in the invoice's language; INTERNAL if cairo fails.
// `preview`: the pages as images too (pdf_document.h).
absl::StatusOr<std::string> InvoiceToPdf(const Invoice& invoice,
                                         PdfPreview* preview = nullptr);

// The invoicing details a trust person saves (CaseworkSettings.invoicing):
// a field may stay empty until an invoice is made (BuildInvoice says what
// is missing then), but one that is filled in must be well-formed: KvK
// number, VAT number, IBAN (mod 97), rate, VAT, term, UTF-8 text.
// INVALID_ARGUMENT in the words BuildInvoice uses.
absl::Status CheckInvoicing(const v1::Invoicing& invoicing);

// An amount in euros as a person types it ("95", "95.5", "95,50") in
// cents, exactly; INVALID_ARGUMENT for anything else or outside 0..100000.
absl::StatusOr<int64_t> ParseEuros(std::string_view text);

// "21%", "9,5%" / "9.5%" for basis points.
std::string PercentText(int basis_points, ReportLanguage language);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_INVOICE_H_
