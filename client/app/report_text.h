// The words of the report and the invoice, in Dutch and English, and how
// numbers, dates and money are written in each. Pure; thread-safe.
#ifndef CONFIDANT_CLIENT_APP_REPORT_TEXT_H_
#define CONFIDANT_CLIENT_APP_REPORT_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "client/app/report_suppression.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

enum class ReportLanguage { kDutch, kEnglish };

// Every fixed label of the report and the invoice.
enum class Text {
  // Report.
  kReportTitle,
  kOrganisation,
  kPeriod,
  kTrustPerson,
  kThreshold,
  kLanguage,
  kIntro,
  kKeyFigures,
  kCases,
  kConversations,
  kHoursSpent,
  kWhistleblowerReports,
  kMedianFirstResponse,
  kDays,
  kNotPublished,
  kCategories,
  kCategoriesNote,
  kQuarters,
  kSupport,
  kSupportNote,
  kOutcomes,
  kRoles,
  kDeadlines,
  kDeadlinesNote,
  kDeadlinesDue,
  kDeadlinesMet,
  kDeadlinesMissed,
  kDeadlineShare,
  kAtLeast,
  kCategoryByQuarter,
  kTrends,
  kCount,
  kTotal,
  kWithheld,
  kLegendTitle,
  kLegendBelowK,
  kLegendProtective,
  kChartTitle,
  kNoCategory,
  kPage,
  kPageOf,
  // Invoice.
  kInvoiceTitle,
  kInvoiceNumber,
  kInvoiceDate,
  kDueDate,
  kInvoicePeriod,
  kTo,
  kFrom,
  kKvk,
  kVatNumber,
  kIban,
  kDescription,
  kQuantity,
  kAmount,
  kInvoiceServices,
  kNumberOfCases,
  kNumberOfConversations,
  kHours,
  kHourlyRate,
  kHoursAtRate,
  kSubtotal,
  kVat,
  kInvoiceTotal,
  kPaymentRequest,
  kInvoiceAnonymous,
  kRoundingNote,
};

// The label in `language`; never empty.
std::string_view Label(Text text, ReportLanguage language);

// Names of the proto enums; the UNSPECIFIED value reads "not recorded" (an
// open case's outcome reads "still open"). Unknown values read "other".
std::string_view RoleLabel(v1::CaseFile::ReporterRole role,
                           ReportLanguage language);
std::string_view SupportLabel(v1::CaseFile::Support support,
                              ReportLanguage language);
std::string_view OutcomeLabel(v1::CaseFile::Outcome outcome,
                              ReportLanguage language);

// "1 januari 2026" / "1 January 2026"; "januari 2026" / "January 2026".
std::string DayText(absl::CivilDay day, ReportLanguage language);
std::string MonthText(absl::CivilMonth month, ReportLanguage language);
// "1e kwartaal 2026" / "Q1 2026" (the quarter starting in `first_month`).
std::string QuarterText(absl::CivilMonth first_month, ReportLanguage language);
// The machine key of a quarter: "2026-Q1".
std::string QuarterKey(absl::CivilMonth first_month);

// "1.234" / "1,234".
std::string CountText(int64_t count, ReportLanguage language);
// A published count: the number, "<k" or "≥k".
std::string CellText(const Cell& cell, int k, ReportLanguage language);
// `value` with one decimal: "3,5" / "3.5".
std::string DecimalText(double value, ReportLanguage language);
// Hundredths as a decimal: 1250 -> "12,50" / "12.50".
std::string HundredthsText(int64_t hundredths, ReportLanguage language);
// Cents as money: "€ 1.234,56" / "€1,234.56" (negative with a minus sign).
std::string MoneyText(int64_t cents, ReportLanguage language);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_REPORT_TEXT_H_
