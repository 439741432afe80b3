// InvoiceToPdf (client/app/invoice.h).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/app/invoice.h"
#include "client/app/pdf_document.h"
#include "client/app/report_text.h"

namespace confidant::client {
namespace {

std::string L(Text text, ReportLanguage lang) {
  return std::string(Label(text, lang));
}

// An IBAN as it is written: groups of four.
std::string Grouped(const std::string& iban) {
  std::string out;
  for (size_t i = 0; i < iban.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(iban[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> InvoiceToPdf(const Invoice& inv,
                                         PdfPreview* preview) {
  const InvoiceOptions& o = inv.options;
  const ReportLanguage lang = o.language;
  const std::string period =
      o.from == o.to
          ? MonthText(o.from, lang)
          : absl::StrCat(MonthText(o.from, lang), " – ", MonthText(o.to, lang));
  const std::string title =
      absl::StrCat(L(Text::kInvoiceTitle, lang), " ", o.invoice_number);
  absl::StatusOr<std::unique_ptr<PdfDocument>> created = PdfDocument::Create(
      title, {absl::StrCat(
                  o.issuer.practice.empty() ? o.issuer.name : o.issuer.practice,
                  " · ", L(Text::kInvoiceTitle, lang), " ", o.invoice_number),
              L(Text::kPage, lang), L(Text::kPageOf, lang)});
  if (!created.ok()) return created.status();
  PdfDocument& doc = **created;

  doc.Title(L(Text::kInvoiceTitle, lang));

  std::vector<std::string> from = {o.issuer.name};
  if (!o.issuer.practice.empty()) from.push_back(o.issuer.practice);
  from.insert(from.end(), o.issuer.address_lines.begin(),
              o.issuer.address_lines.end());
  if (!o.issuer.email.empty()) from.push_back(o.issuer.email);
  std::vector<std::string> to = {o.recipient_name};
  to.insert(to.end(), o.recipient_address_lines.begin(),
            o.recipient_address_lines.end());
  doc.Pairs({{L(Text::kFrom, lang), absl::StrJoin(from, "\n")},
             {L(Text::kTo, lang), absl::StrJoin(to, "\n")}},
            0.3);

  doc.Pairs({{L(Text::kInvoiceNumber, lang), o.invoice_number},
             {L(Text::kInvoiceDate, lang), DayText(o.invoice_date, lang)},
             {L(Text::kDueDate, lang), DayText(inv.due_date, lang)},
             {L(Text::kInvoicePeriod, lang), period},
             {L(Text::kKvk, lang), o.issuer.kvk_number},
             {L(Text::kVatNumber, lang), o.issuer.vat_number},
             {L(Text::kIban, lang), Grouped(o.issuer.iban)}},
            0.3);

  doc.Heading(L(Text::kInvoiceServices, lang), 160);
  const std::vector<PdfDocument::Column> columns = {
      {L(Text::kDescription, lang), 2.4, false},
      {L(Text::kQuantity, lang), 1.6, true},
      {L(Text::kAmount, lang), 1.2, true}};
  const std::string rate = MoneyText(o.hourly_rate_cents, lang);
  const std::vector<std::vector<std::string>> rows = {
      {L(Text::kNumberOfCases, lang), CountText(inv.cases, lang), ""},
      {L(Text::kNumberOfConversations, lang),
       CountText(inv.conversations, lang), ""},
      {absl::StrReplaceAll(L(Text::kHoursAtRate, lang), {{"{rate}", rate}}),
       HundredthsText(inv.hours_hundredths, lang),
       MoneyText(inv.subtotal_cents, lang)},
      {L(Text::kSubtotal, lang), "", MoneyText(inv.subtotal_cents, lang)},
      {absl::StrCat(L(Text::kVat, lang), " ",
                    PercentText(o.vat_basis_points, lang)),
       "", MoneyText(inv.vat_cents, lang)},
      {L(Text::kInvoiceTotal, lang), "", MoneyText(inv.total_cents, lang)}};
  doc.Table(columns, rows, /*bold_last=*/true);

  doc.Paragraph(L(Text::kPaymentRequest, lang));
  doc.Note(L(Text::kInvoiceAnonymous, lang));
  doc.Note(L(Text::kRoundingNote, lang));
  return doc.Finish(preview);
}

}  // namespace confidant::client
