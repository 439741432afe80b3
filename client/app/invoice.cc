#include "client/app/invoice.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/utf8.h"
#include "client/app/report_csv.h"
#include "client/app/report_text.h"

namespace confidant::client {
namespace {

std::string WithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

// ISO 13616: 15..34 letters and digits, country code, check digits, and
// the rearranged number is 1 modulo 97.
bool ValidIban(std::string_view raw) {
  const std::string iban = absl::AsciiStrToUpper(WithoutSpaces(raw));
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!absl::ascii_isalpha(iban[0]) || !absl::ascii_isalpha(iban[1]) ||
      !absl::ascii_isdigit(iban[2]) || !absl::ascii_isdigit(iban[3])) {
    return false;
  }
  int remainder = 0;
  const std::string rearranged = iban.substr(4) + iban.substr(0, 4);
  for (char c : rearranged) {
    if (absl::ascii_isdigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (absl::ascii_isalpha(c)) {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

bool ValidKvk(std::string_view kvk) {
  if (kvk.size() != 8) return false;
  for (char c : kvk) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// Two letters of a country, then 2..13 letters and digits (EU VAT ids).
bool ValidVatNumber(std::string_view raw) {
  const std::string vat = absl::AsciiStrToUpper(WithoutSpaces(raw));
  if (vat.size() < 4 || vat.size() > 15) return false;
  if (!absl::ascii_isalpha(vat[0]) || !absl::ascii_isalpha(vat[1])) {
    return false;
  }
  for (char c : vat) {
    if (!absl::ascii_isalnum(c)) return false;
  }
  return true;
}

bool ValidInvoiceNumber(std::string_view number) {
  if (number.empty() || number.size() > 32) return false;
  for (char c : number) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

absl::Status Invalid(std::string_view message) {
  return absl::InvalidArgumentError(std::string(message));
}

absl::Status Validate(const std::vector<InvoiceWork>& work,
                      const InvoiceOptions& o) {
  if (o.to < o.from) return Invalid("the invoice period ends before it starts");
  if (work.empty()) return Invalid("there is no work to invoice in the period");
  if (o.hourly_rate_cents < 0) return Invalid("the hourly rate is negative");
  if (o.hourly_rate_cents > kMaxHourlyRateCents) {
    return Invalid("the hourly rate is implausibly high");
  }
  if (o.vat_basis_points < 0 || o.vat_basis_points > 10000) {
    return Invalid("the VAT rate must be between 0% and 100%");
  }
  if (o.payment_term_days < 0 || o.payment_term_days > 365) {
    return Invalid("the payment term must be 0 to 365 days");
  }
  if (!ValidInvoiceNumber(o.invoice_number)) {
    return Invalid(
        "the invoice number must be 1 to 32 printable ASCII characters");
  }
  std::vector<std::string_view> texts = {o.issuer.name, o.issuer.practice,
                                         o.issuer.email, o.recipient_name};
  for (const std::string& line : o.issuer.address_lines) texts.push_back(line);
  for (const std::string& line : o.recipient_address_lines) {
    texts.push_back(line);
  }
  for (std::string_view text : texts) {
    if (!base::IsValidUtf8(text) || text.size() > 200) {
      return Invalid("a name or address line is not UTF-8 or too long");
    }
  }
  if (o.issuer.name.empty()) return Invalid("the issuer's name is missing");
  if (o.issuer.address_lines.empty()) {
    return Invalid("the issuer's address is missing");
  }
  if (o.recipient_name.empty()) {
    return Invalid("the recipient organisation is missing");
  }
  if (!ValidKvk(o.issuer.kvk_number)) {
    return Invalid("the KvK number must be 8 digits");
  }
  if (!ValidVatNumber(o.issuer.vat_number)) {
    return Invalid("the VAT number is malformed");
  }
  if (!ValidIban(o.issuer.iban)) return Invalid("the IBAN is not valid");
  return absl::OkStatus();
}

// a * b / d rounded half up, for non-negative a, b and positive d, in 128
// bits so that the product cannot overflow; nullopt if the result does not
// fit in 64.
std::optional<int64_t> MulDivHalfUp(int64_t a, int64_t b, int64_t d) {
  const absl::int128 r = (absl::int128(a) * b + d / 2) / d;
  if (r > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(r);
}

std::string Euros(int64_t cents) {
  return absl::StrFormat("%d.%02d", cents / 100, cents % 100);
}

}  // namespace

std::vector<InvoiceWork> WorkOfCases(const std::vector<ReportCase>& cases,
                                     absl::CivilMonth from,
                                     absl::CivilMonth to) {
  std::vector<InvoiceWork> out;
  for (const ReportCase& c : cases) {
    const absl::CivilMonth month(c.registered);
    if (month < from || to < month) continue;
    out.push_back({c.conversations, c.minutes});
  }
  return out;
}

absl::StatusOr<Invoice> BuildInvoice(const std::vector<InvoiceWork>& work,
                                     const InvoiceOptions& options) {
  if (absl::Status s = Validate(work, options); !s.ok()) return s;
  Invoice invoice;
  invoice.options = options;
  invoice.options.issuer.iban =
      absl::AsciiStrToUpper(WithoutSpaces(options.issuer.iban));
  invoice.options.issuer.vat_number =
      absl::AsciiStrToUpper(WithoutSpaces(options.issuer.vat_number));
  invoice.due_date = options.invoice_date + options.payment_term_days;
  for (const InvoiceWork& w : work) {
    ++invoice.cases;
    invoice.conversations += w.conversations;
    invoice.minutes += w.minutes;
  }
  const std::optional<int64_t> hours = MulDivHalfUp(invoice.minutes, 100, 60);
  const std::optional<int64_t> subtotal =
      hours ? MulDivHalfUp(*hours, options.hourly_rate_cents, 100)
            : std::nullopt;
  const std::optional<int64_t> vat =
      subtotal ? MulDivHalfUp(*subtotal, options.vat_basis_points, 10000)
               : std::nullopt;
  if (!vat || *vat > std::numeric_limits<int64_t>::max() - *subtotal) {
    return Invalid("the invoice's amounts are too large");
  }
  invoice.hours_hundredths = *hours;
  invoice.subtotal_cents = *subtotal;
  invoice.vat_cents = *vat;
  invoice.total_cents = *subtotal + *vat;
  return invoice;
}

absl::Status CheckInvoicing(const v1::Invoicing& inv) {
  std::vector<std::string_view> texts = {inv.name(), inv.practice(),
                                         inv.email()};
  for (const std::string& line : inv.address_lines()) texts.push_back(line);
  for (std::string_view text : texts) {
    if (!base::IsValidUtf8(text) || text.size() > 200) {
      return Invalid("a name or address line is not UTF-8 or too long");
    }
  }
  if (!inv.kvk_number().empty() && !ValidKvk(inv.kvk_number())) {
    return Invalid("the KvK number must be 8 digits");
  }
  if (!inv.vat_number().empty() && !ValidVatNumber(inv.vat_number())) {
    return Invalid("the VAT number is malformed");
  }
  if (!inv.iban().empty() && !ValidIban(inv.iban())) {
    return Invalid("the IBAN is not valid");
  }
  if (inv.hourly_rate_cents() < 0 ||
      inv.hourly_rate_cents() > kMaxHourlyRateCents) {
    return Invalid("the hourly rate is negative or implausibly high");
  }
  if (inv.has_vat_basis_points() &&
      (inv.vat_basis_points() < 0 || inv.vat_basis_points() > 10000)) {
    return Invalid("the VAT rate must be between 0% and 100%");
  }
  if (inv.has_payment_term_days() &&
      (inv.payment_term_days() < 0 || inv.payment_term_days() > 365)) {
    return Invalid("the payment term must be 0 to 365 days");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseEuros(std::string_view text) {
  const absl::string_view stripped =
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  const std::string_view given(stripped.data(), stripped.size());
  auto refuse = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("an amount in euros, 0 to 100000: ", std::string(given)));
  };
  const size_t mark = given.find_first_of(".,");
  const std::string_view whole = given.substr(0, mark);
  const std::string_view cents = mark == std::string_view::npos
                                     ? std::string_view()
                                     : given.substr(mark + 1);
  auto digits = [](std::string_view s) {
    for (char c : s) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  };
  if (whole.empty() || whole.size() > 6 || !digits(whole) || !digits(cents) ||
      cents.size() > 2 || (mark != std::string_view::npos && cents.empty())) {
    return refuse();
  }
  int64_t value = 0;
  for (char c : whole) value = value * 10 + (c - '0');
  value *= 100;
  if (!cents.empty()) {
    value += (cents[0] - '0') * 10;  // "95,5" is 95 euros 50
    if (cents.size() == 2) value += cents[1] - '0';
  }
  if (value > 100000 * int64_t{100}) return refuse();
  return value;
}

std::string PercentText(int basis_points, ReportLanguage language) {
  std::string text = HundredthsText(basis_points, language);
  // "21,00" -> "21", "9,50" -> "9,5".
  while (text.back() == '0') text.pop_back();
  if (text.back() == ',' || text.back() == '.') text.pop_back();
  return text + "%";
}

std::string InvoiceToCsv(const Invoice& inv) {
  const InvoiceOptions& o = inv.options;
  const ReportLanguage lang = o.language;
  auto label = [lang](Text t) { return Label(t, lang); };
  const std::string period =
      absl::StrFormat("%04d-%02d/%04d-%02d", o.from.year(), o.from.month(),
                      o.to.year(), o.to.month());
  std::string out;
  AppendCsvRecord(out, {"field", "label", "value"});
  AppendCsvRecord(
      out, {"invoice_number", label(Text::kInvoiceNumber), o.invoice_number});
  AppendCsvRecord(out, {"invoice_date", label(Text::kInvoiceDate),
                        absl::FormatCivilTime(o.invoice_date)});
  AppendCsvRecord(out, {"due_date", label(Text::kDueDate),
                        absl::FormatCivilTime(inv.due_date)});
  AppendCsvRecord(out, {"period", label(Text::kInvoicePeriod), period});
  AppendCsvRecord(out, {"issuer_name", label(Text::kFrom), o.issuer.name});
  AppendCsvRecord(out,
                  {"issuer_practice", label(Text::kFrom), o.issuer.practice});
  AppendCsvRecord(out, {"issuer_address", label(Text::kFrom),
                        absl::StrJoin(o.issuer.address_lines, "\n")});
  AppendCsvRecord(out, {"issuer_kvk", label(Text::kKvk), o.issuer.kvk_number});
  AppendCsvRecord(
      out, {"issuer_vat_number", label(Text::kVatNumber), o.issuer.vat_number});
  AppendCsvRecord(out, {"issuer_iban", label(Text::kIban), o.issuer.iban});
  AppendCsvRecord(out, {"recipient_name", label(Text::kTo), o.recipient_name});
  AppendCsvRecord(out, {"recipient_address", label(Text::kTo),
                        absl::StrJoin(o.recipient_address_lines, "\n")});
  AppendCsvRecord(
      out, {"cases", label(Text::kNumberOfCases), absl::StrCat(inv.cases)});
  AppendCsvRecord(out, {"conversations", label(Text::kNumberOfConversations),
                        absl::StrCat(inv.conversations)});
  AppendCsvRecord(out,
                  {"hours", label(Text::kHours), Euros(inv.hours_hundredths)});
  AppendCsvRecord(out, {"hourly_rate", label(Text::kHourlyRate),
                        Euros(o.hourly_rate_cents)});
  AppendCsvRecord(
      out, {"subtotal", label(Text::kSubtotal), Euros(inv.subtotal_cents)});
  AppendCsvRecord(out, {"vat_rate_percent", label(Text::kVat),
                        absl::StrFormat("%d.%02d", o.vat_basis_points / 100,
                                        o.vat_basis_points % 100)});
  AppendCsvRecord(out, {"vat", label(Text::kVat), Euros(inv.vat_cents)});
  AppendCsvRecord(
      out, {"total", label(Text::kInvoiceTotal), Euros(inv.total_cents)});
  AppendCsvRecord(out, {"currency", "", "EUR"});
  return out;
}

}  // namespace confidant::client
