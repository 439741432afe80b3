#include "client/app/report_text.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace confidant::client {
namespace {

struct Pair {
  std::string_view nl;
  std::string_view en;
};

std::string_view Pick(const Pair& pair, ReportLanguage language) {
  return language == ReportLanguage::kDutch ? pair.nl : pair.en;
}

Pair TextPair(Text text) {
  switch (text) {
    case Text::kReportTitle:
      return {"Verslag van de vertrouwenspersoon",
              "Report of the trust person"};
    case Text::kOrganisation:
      return {"Organisatie", "Organisation"};
    case Text::kPeriod:
      return {"Periode", "Period"};
    case Text::kTrustPerson:
      return {"Vertrouwenspersoon", "Trust person"};
    case Text::kThreshold:
      return {"Drempel (kleinste getoonde aantal)",
              "Threshold (smallest count shown)"};
    case Text::kLanguage:
      return {"Taal", "Language"};
    case Text::kIntro:
      return {
          "Dit verslag telt de zaken die in deze periode bij de "
          "vertrouwenspersoon zijn aangemeld. Het bevat geen namen, geen "
          "zaaknummers, geen tekst uit de zaken en geen data die "
          "nauwkeuriger zijn dan een kwartaal. Kleine aantallen worden "
          "niet getoond, zodat niemand uit de cijfers te herleiden is.",
          "This report counts the cases registered with the trust person "
          "in this period. It contains no names, no case numbers, no "
          "text from the cases and no dates finer than a quarter. Small "
          "counts are not shown, so that no one can be traced from the "
          "figures."};
    case Text::kKeyFigures:
      return {"Kerncijfers", "Key figures"};
    case Text::kCases:
      return {"Aantal zaken", "Number of cases"};
    case Text::kConversations:
      return {"Aantal gesprekken", "Number of conversations"};
    case Text::kHoursSpent:
      return {"Bestede tijd (uren)", "Time spent (hours)"};
    case Text::kWhistleblowerReports:
      return {"Meldingen in de zin van de Wet bescherming klokkenluiders",
              "Reports under the Dutch Whistleblowers Act (Wbk)"};
    case Text::kMedianFirstResponse:
      return {"Mediaan van het aantal dagen tot de eerste reactie",
              "Median number of days to the first response"};
    case Text::kDays:
      return {"dagen", "days"};
    case Text::kNotPublished:
      return {"niet gepubliceerd", "not published"};
    case Text::kCategories:
      return {"Onderwerpen", "Subjects"};
    case Text::kCategoriesNote:
      return {
          "Een zaak kan onder meer dan één onderwerp vallen; de "
          "aantallen tellen daarom niet op tot het aantal zaken.",
          "A case can fall under more than one subject, so the counts do "
          "not add up to the number of cases."};
    case Text::kQuarters:
      return {"Aanmeldingen per kwartaal", "Registrations per quarter"};
    case Text::kSupport:
      return {"Soort ondersteuning", "Kind of support"};
    case Text::kSupportNote:
      return {
          "Een zaak kan meer dan één soort ondersteuning krijgen; de "
          "aantallen tellen daarom niet op tot het aantal zaken.",
          "A case can receive more than one kind of support, so the "
          "counts do not add up to the number of cases."};
    case Text::kOutcomes:
      return {"Afloop", "Outcome"};
    case Text::kRoles:
      return {"Melder", "Reporter"};
    case Text::kDeadlines:
      return {"Wettelijke termijnen bij klokkenluidersmeldingen",
              "Legal deadlines of whistleblower reports"};
    case Text::kDeadlinesNote:
      return {
          "Ontvangstbevestiging binnen 7 dagen en terugkoppeling binnen "
          "3 maanden; alleen termijnen die al verstreken zijn tellen mee.",
          "Acknowledgement within 7 days and feedback within 3 months; "
          "only deadlines that have passed are counted."};
    case Text::kDeadlinesDue:
      return {"Verstreken termijnen", "Deadlines due"};
    case Text::kDeadlinesMet:
      return {"Op tijd", "Met"};
    case Text::kDeadlinesMissed:
      return {"Te laat", "Missed"};
    case Text::kDeadlineShare:
      return {"Aandeel op tijd", "Share met"};
    case Text::kAtLeast:
      return {"ten minste", "at least"};
    case Text::kCategoryByQuarter:
      return {"Onderwerpen per kwartaal", "Subjects per quarter"};
    case Text::kTrends:
      return {"Trends en aanbevelingen", "Trends and recommendations"};
    case Text::kCount:
      return {"Aantal", "Count"};
    case Text::kTotal:
      return {"Totaal", "Total"};
    case Text::kWithheld:
      return {
          "Deze verdeling wordt niet gepubliceerd: bij deze aantallen "
          "zou elke uitsplitsing een klein aantal verraden.",
          "This breakdown is not published: with these numbers any "
          "breakdown would give away a small count."};
    case Text::kLegendTitle:
      return {"Toelichting", "Notes"};
    case Text::kLegendBelowK:
      return {
          "minder dan {k} (ook 0); het precieze aantal wordt niet "
          "getoond",
          "fewer than {k} (0 included); the exact count is not shown"};
    case Text::kLegendProtective:
      return {
          "{k} of meer; niet getoond, zodat een klein aantal elders in de "
          "tabel niet uit te rekenen is",
          "{k} or more; not shown, so that a small count elsewhere in the "
          "table cannot be worked out"};
    case Text::kChartTitle:
      return {"Zaken per onderwerp", "Cases per subject"};
    case Text::kNoCategory:
      return {"Geen onderwerpen in de lijst.", "No subjects in the list."};
    case Text::kPage:
      return {"Pagina", "Page"};
    case Text::kPageOf:
      return {"van", "of"};
    case Text::kInvoiceTitle:
      return {"Factuur", "Invoice"};
    case Text::kInvoiceNumber:
      return {"Factuurnummer", "Invoice number"};
    case Text::kInvoiceDate:
      return {"Factuurdatum", "Invoice date"};
    case Text::kDueDate:
      return {"Te betalen vóór", "Payment due"};
    case Text::kInvoicePeriod:
      return {"Periode", "Period"};
    case Text::kTo:
      return {"Aan", "To"};
    case Text::kFrom:
      return {"Van", "From"};
    case Text::kKvk:
      return {"KvK-nummer", "Chamber of Commerce (KvK) number"};
    case Text::kVatNumber:
      return {"Btw-nummer", "VAT number"};
    case Text::kIban:
      return {"IBAN", "IBAN"};
    case Text::kDescription:
      return {"Omschrijving", "Description"};
    case Text::kQuantity:
      return {"Aantal", "Quantity"};
    case Text::kAmount:
      return {"Bedrag", "Amount"};
    case Text::kInvoiceServices:
      return {"Werkzaamheden als vertrouwenspersoon",
              "Services as trust person"};
    case Text::kNumberOfCases:
      return {"Zaken", "Cases"};
    case Text::kNumberOfConversations:
      return {"Gesprekken", "Conversations"};
    case Text::kHours:
      return {"Uren", "Hours"};
    case Text::kHourlyRate:
      return {"Uurtarief", "Hourly rate"};
    case Text::kHoursAtRate:
      return {"Uren à {rate} per uur", "Hours at {rate} per hour"};
    case Text::kSubtotal:
      return {"Subtotaal", "Subtotal"};
    case Text::kVat:
      return {"Btw", "VAT"};
    case Text::kInvoiceTotal:
      return {"Totaal te betalen", "Total due"};
    case Text::kPaymentRequest:
      return {
          "Graag het totaalbedrag overmaken op het IBAN hierboven, onder "
          "vermelding van het factuurnummer.",
          "Please transfer the total to the IBAN above, quoting the "
          "invoice number."};
    case Text::kInvoiceAnonymous:
      return {
          "Deze factuur is geanonimiseerd: zij noemt geen personen, "
          "zaaknummers, onderwerpen of data van gesprekken.",
          "This invoice is anonymised: it names no persons, case "
          "numbers, subjects or dates of conversations."};
    case Text::kRoundingNote:
      return {
          "Uren zijn de totale tijd in minuten gedeeld door 60, "
          "afgerond op twee decimalen; bedragen zijn afgerond op hele "
          "centen (half naar boven).",
          "Hours are the total time in minutes divided by 60, rounded "
          "to two decimals; amounts are rounded to whole cents (half "
          "up)."};
  }
  return {"?", "?"};
}

constexpr std::string_view kMonthsNl[] = {
    "januari", "februari", "maart",     "april",   "mei",      "juni",
    "juli",    "augustus", "september", "oktober", "november", "december"};
constexpr std::string_view kMonthsEn[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string_view MonthName(int month, ReportLanguage language) {
  return language == ReportLanguage::kDutch ? kMonthsNl[month - 1]
                                            : kMonthsEn[month - 1];
}

// Digits of `value` (>= 0) in groups of three joined by `separator`.
std::string Grouped(int64_t value, std::string_view separator) {
  std::string digits = absl::StrCat(value);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (size_t i = first; i < digits.size(); i += 3) {
    out.append(separator);
    out.append(digits, i, 3);
  }
  return out;
}

}  // namespace

std::string_view Label(Text text, ReportLanguage language) {
  return Pick(TextPair(text), language);
}

std::string_view RoleLabel(v1::CaseFile::ReporterRole role,
                           ReportLanguage language) {
  switch (role) {
    case v1::CaseFile::ROLE_UNSPECIFIED:
      return Pick({"Niet vastgelegd", "Not recorded"}, language);
    case v1::CaseFile::EMPLOYEE:
      return Pick({"Medewerker", "Employee"}, language);
    case v1::CaseFile::MANAGER:
      return Pick({"Leidinggevende", "Manager"}, language);
    case v1::CaseFile::HR:
      return Pick({"HR / P&O", "HR"}, language);
    default:
      return Pick({"Anders", "Other"}, language);
  }
}

std::string_view SupportLabel(v1::CaseFile::Support support,
                              ReportLanguage language) {
  switch (support) {
    case v1::CaseFile::LISTENING_AND_ADVICE:
      return Pick({"Luisteren en advies", "Listening and advice"}, language);
    case v1::CaseFile::REFERRAL:
      return Pick({"Doorverwijzing", "Referral"}, language);
    case v1::CaseFile::MEDIATION:
      return Pick({"Bemiddeling", "Mediation"}, language);
    case v1::CaseFile::FORMAL_COMPLAINT_SUPPORT:
      return Pick({"Ondersteuning bij een formele klacht",
                   "Support in a formal complaint"},
                  language);
    case v1::CaseFile::WHISTLEBLOWER_REPORT:
      return Pick({"Klokkenluidersmelding (Wbk)", "Whistleblower report (Wbk)"},
                  language);
    default:
      return Pick({"Anders", "Other"}, language);
  }
}

std::string_view OutcomeLabel(v1::CaseFile::Outcome outcome,
                              ReportLanguage language) {
  switch (outcome) {
    case v1::CaseFile::OUTCOME_UNSPECIFIED:
      return Pick({"Nog lopend", "Still open"}, language);
    case v1::CaseFile::RESOLVED:
      return Pick({"Opgelost", "Resolved"}, language);
    case v1::CaseFile::REFERRED:
      return Pick({"Doorverwezen", "Referred"}, language);
    case v1::CaseFile::FORMAL_COMPLAINT:
      return Pick({"Formele klacht ingediend", "Formal complaint filed"},
                  language);
    case v1::CaseFile::WITHDRAWN:
      return Pick({"Ingetrokken", "Withdrawn"}, language);
    case v1::CaseFile::NO_FURTHER_CONTACT:
      return Pick({"Geen verder contact", "No further contact"}, language);
    default:
      return Pick({"Anders", "Other"}, language);
  }
}

std::string DayText(absl::CivilDay day, ReportLanguage language) {
  return absl::StrCat(day.day(), " ",
                      std::string(MonthName(day.month(), language)), " ",
                      day.year());
}

std::string MonthText(absl::CivilMonth month, ReportLanguage language) {
  return absl::StrCat(std::string(MonthName(month.month(), language)), " ",
                      month.year());
}

std::string QuarterText(absl::CivilMonth first_month, ReportLanguage language) {
  const int quarter = (first_month.month() - 1) / 3 + 1;
  if (language == ReportLanguage::kDutch) {
    return absl::StrCat(quarter, "e kwartaal ", first_month.year());
  }
  return absl::StrCat("Q", quarter, " ", first_month.year());
}

std::string QuarterKey(absl::CivilMonth first_month) {
  return absl::StrCat(first_month.year(), "-Q",
                      (first_month.month() - 1) / 3 + 1);
}

std::string CountText(int64_t count, ReportLanguage language) {
  const std::string digits = Grouped(
      std::llabs(count), language == ReportLanguage::kDutch ? "." : ",");
  return count < 0 ? absl::StrCat("-", digits) : digits;
}

std::string CellText(const Cell& cell, int k, ReportLanguage language) {
  switch (cell.disclosure) {
    case Disclosure::kShown:
      return CountText(cell.value, language);
    case Disclosure::kBelowK:
      return absl::StrCat("<", k);
    case Disclosure::kProtective:
      return absl::StrCat("≥", k);
  }
  return "?";
}

std::string DecimalText(double value, ReportLanguage language) {
  const int64_t tenths = std::llround(value * 10);
  const int64_t magnitude = std::llabs(tenths);
  const bool dutch = language == ReportLanguage::kDutch;
  return absl::StrCat(tenths < 0 ? "-" : "",
                      Grouped(magnitude / 10, dutch ? "." : ","),
                      dutch ? "," : ".", magnitude % 10);
}

std::string HundredthsText(int64_t hundredths, ReportLanguage language) {
  const bool negative = hundredths < 0;
  const int64_t magnitude = std::llabs(hundredths);
  const bool dutch = language == ReportLanguage::kDutch;
  return absl::StrCat(
      negative ? "-" : "", Grouped(magnitude / 100, dutch ? "." : ","),
      dutch ? "," : ".", absl::StrFormat("%02d", magnitude % 100));
}

std::string MoneyText(int64_t cents, ReportLanguage language) {
  const std::string amount = HundredthsText(std::llabs(cents), language);
  const std::string sign = cents < 0 ? "-" : "";
  if (language == ReportLanguage::kDutch) {
    return absl::StrCat("€ ", sign, amount);
  }
  return absl::StrCat(sign, "€", amount);
}

}  // namespace confidant::client
