// The trust person's yearly report and anonymised invoice from the command
// line: `confidant report` and `confidant invoice` (docs/cli.md,
// docs/report.md).
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "client/app/invoice.h"
#include "client/app/report.h"
#include "client/app/report_csv.h"
#include "client/app/report_pdf.h"
#include "client/app/report_text.h"
#include "client/cli/cli.h"

namespace confidant::cli {
namespace {

absl::StatusOr<client::ReportLanguage> Language(const std::string& word) {
  if (word == "nl") return client::ReportLanguage::kDutch;
  if (word == "en") return client::ReportLanguage::kEnglish;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown language '", word, "'; nl or en"));
}

absl::StatusOr<absl::CivilDay> Day(const std::string& text, const char* what) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is a date YYYY-MM-DD: ", text));
  }
  return day;
}

absl::StatusOr<absl::CivilMonth> Month(const std::string& text,
                                       const char* what) {
  absl::CivilMonth month;
  if (!absl::ParseCivilTime(text, &month)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is a month YYYY-MM: ", text));
  }
  return month;
}

// Writes `bytes` to `path` whole, or says why not.
absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", path));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::string Euros(int64_t cents) {
  return absl::StrFormat("%d.%02d", cents / 100, cents % 100);
}

}  // namespace

int Report(const Request& req) {
  if (req.format != "pdf" && req.format != "csv") {
    PrintError("--format is pdf or csv");
    return kExitUsage;
  }
  client::ReportOptions options;
  absl::StatusOr<absl::CivilDay> from = Day(req.from, "--from");
  if (!from.ok()) return Fail(from.status());
  absl::StatusOr<absl::CivilDay> to = Day(req.to, "--to");
  if (!to.ok()) return Fail(to.status());
  absl::StatusOr<client::ReportLanguage> language = Language(req.language);
  if (!language.ok()) return Fail(language.status());
  options.from = *from;
  options.to = *to;
  options.k = req.k;
  options.language = *language;
  options.trust_person_name = req.name;
  if (!req.trends_file.empty()) {
    absl::StatusOr<std::string> trends = ReadText(req.trends_file);
    if (!trends.ok()) return Fail(trends.status());
    options.trends = *trends;
  }
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  int left_out = 0;
  absl::StatusOr<client::Report> report =
      (*app)->OrganisationReport(req.org, options, &left_out);
  if (!report.ok()) return Fail(report.status());
  std::string bytes;
  if (req.format == "csv") {
    bytes = client::ReportToCsv(*report);
  } else {
    absl::StatusOr<std::string> pdf = client::ReportToPdf(*report);
    if (!pdf.ok()) return Fail(pdf.status());
    bytes = *std::move(pdf);
  }
  if (absl::Status s = WriteFile(req.out, bytes); !s.ok()) return Fail(s);
  const std::string cases =
      client::CellText(report->cases, report->k, report->language);
  if (req.json) {
    Print(JsonObject()
              .Str("out", req.out)
              .Str("format", req.format)
              .Str("organisation", report->organisation_name)
              .Str("cases", cases)
              .Int("left_out", left_out)
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat("report / rapportage: ", req.out, " (", cases,
                       " cases / meldingen)\n"));
    if (left_out > 0) {
      PrintError(absl::StrCat(
          left_out,
          " case(s) without an organisation were left out; set one with "
          "`confidant case set --org` / melding(en) zonder organisatie "
          "weggelaten"));
    }
  }
  return kExitOk;
}

int Invoice(const Request& req) {
  if (req.format != "pdf" && req.format != "csv") {
    PrintError("--format is pdf or csv");
    return kExitUsage;
  }
  client::InvoiceOptions options;
  absl::StatusOr<absl::CivilMonth> from = Month(req.from, "--from");
  if (!from.ok()) return Fail(from.status());
  absl::StatusOr<absl::CivilMonth> to = Month(req.to, "--to");
  if (!to.ok()) return Fail(to.status());
  absl::StatusOr<client::ReportLanguage> language = Language(req.language);
  if (!language.ok()) return Fail(language.status());
  options.from = *from;
  options.to = *to;
  options.language = *language;
  options.invoice_number = req.number;
  if (!req.rate.empty()) {
    absl::StatusOr<int64_t> rate = client::ParseEuros(req.rate);
    if (!rate.ok()) return Fail(rate.status());
    options.hourly_rate_cents = *rate;
  }
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::Invoice> invoice =
      (*app)->OrganisationInvoice(req.org, options);
  if (!invoice.ok()) return Fail(invoice.status());
  std::string bytes;
  if (req.format == "csv") {
    bytes = client::InvoiceToCsv(*invoice);
  } else {
    absl::StatusOr<std::string> pdf = client::InvoiceToPdf(*invoice);
    if (!pdf.ok()) return Fail(pdf.status());
    bytes = *std::move(pdf);
  }
  if (absl::Status s = WriteFile(req.out, bytes); !s.ok()) return Fail(s);
  if (req.json) {
    Print(JsonObject()
              .Str("out", req.out)
              .Str("number", invoice->options.invoice_number)
              .Int("cases", invoice->cases)
              .Int("conversations", invoice->conversations)
              .Int("minutes", invoice->minutes)
              .Str("subtotal", Euros(invoice->subtotal_cents))
              .Str("vat", Euros(invoice->vat_cents))
              .Str("total", Euros(invoice->total_cents))
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat("invoice / factuur ", invoice->options.invoice_number,
                       ": ", req.out, " (EUR ", Euros(invoice->total_cents),
                       ")\n"));
  }
  return kExitOk;
}

}  // namespace confidant::cli
