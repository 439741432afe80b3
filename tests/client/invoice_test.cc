// BuildInvoice and InvoiceToCsv (client/app/invoice.h): the sums, the
// rounding, the checks of the issuer's numbers, and bad input.
#include "client/app/invoice.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/report_audit.h"
#include "tests/client/report_test_data.h"

namespace confidant::client {
namespace {

using ::testing::HasSubstr;

// The test invoice for the last quarter of 2026, dated 31 January 2027.
InvoiceOptions Options() {
  InvoiceOptions o = TestInvoiceOptions();
  o.invoice_date = absl::CivilDay(2027, 1, 31);
  o.from = absl::CivilMonth(2026, 10);
  o.to = absl::CivilMonth(2026, 12);
  return o;
}

TEST(InvoiceTest, SumsAndRoundsHalfUp) {
  // 100 minutes = 1.6667 h -> 1.67 h; 1.67 * 95.00 = 158.65;
  // VAT 21% = 33.3165 -> 33.32; total 191.97.
  const auto inv = BuildInvoice({{2, 60}, {1, 40}}, Options());
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->cases, 2);
  EXPECT_EQ(inv->conversations, 3);
  EXPECT_EQ(inv->minutes, 100);
  EXPECT_EQ(inv->hours_hundredths, 167);
  EXPECT_EQ(inv->subtotal_cents, 15865);
  EXPECT_EQ(inv->vat_cents, 3332);
  EXPECT_EQ(inv->total_cents, 19197);
  EXPECT_EQ(inv->due_date, absl::CivilDay(2027, 3, 2));  // 30 days
}

TEST(InvoiceTest, HalfACentRoundsUp) {
  InvoiceOptions o = Options();
  o.hourly_rate_cents = 1;  // 0.5 h * 0.01 = 0.005 -> 0.01
  const auto inv = BuildInvoice({{1, 30}}, o);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->hours_hundredths, 50);
  EXPECT_EQ(inv->subtotal_cents, 1);
  o.vat_basis_points = 0;
  o.hourly_rate_cents = 0;  // pro bono: allowed
  EXPECT_EQ(BuildInvoice({{1, 30}}, o)->total_cents, 0);
}

TEST(InvoiceTest, LargeSumsDoNotOverflow) {
  InvoiceOptions o = Options();
  o.hourly_rate_cents = kMaxHourlyRateCents;
  std::vector<InvoiceWork> work(10000, {100, 4'000'000'000u});
  const auto inv = BuildInvoice(work, o);
  ASSERT_TRUE(inv.ok());
  EXPECT_GT(inv->total_cents, 0);
  EXPECT_EQ(inv->minutes, int64_t{4'000'000'000} * 10000);
  // 6.7e13 hours at EUR 100,000: EUR 6.7e16, exact.
  EXPECT_EQ(inv->hours_hundredths, 66'666'666'666'667);
  EXPECT_EQ(inv->subtotal_cents, 6'666'666'666'666'700'000);
  // With 100% VAT the total would not fit: refused, not wrapped.
  o.vat_basis_points = 10000;
  EXPECT_EQ(BuildInvoice(work, o).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(InvoiceTest, RefusesBadInput) {
  auto refused = [](const InvoiceOptions& o,
                    std::vector<InvoiceWork> work = {{1, 60}}) {
    return BuildInvoice(work, o).status().code() ==
           absl::StatusCode::kInvalidArgument;
  };
  InvoiceOptions o = Options();
  o.hourly_rate_cents = -1;
  EXPECT_TRUE(refused(o));
  o = Options();
  o.to = absl::CivilMonth(2026, 9);
  EXPECT_TRUE(refused(o));
  EXPECT_TRUE(refused(Options(), {}));  // nothing to invoice
  o = Options();
  o.vat_basis_points = 10001;
  EXPECT_TRUE(refused(o));
  o = Options();
  o.issuer.iban = "NL92 ABNA 0417 1643 00";  // check digits wrong
  EXPECT_TRUE(refused(o));
  o = Options();
  o.issuer.kvk_number = "1234567";
  EXPECT_TRUE(refused(o));
  o = Options();
  o.issuer.vat_number = "123";
  EXPECT_TRUE(refused(o));
  o = Options();
  o.invoice_number = "";
  EXPECT_TRUE(refused(o));
  o = Options();
  o.invoice_number = "2026 004";  // a space
  EXPECT_TRUE(refused(o));
  o = Options();
  o.recipient_name = "";
  EXPECT_TRUE(refused(o));
  o = Options();
  o.issuer.address_lines.clear();
  EXPECT_TRUE(refused(o));
  o = Options();
  o.issuer.name = "\xc3";
  EXPECT_TRUE(refused(o));
  o = Options();
  o.payment_term_days = -1;
  EXPECT_TRUE(refused(o));
}

TEST(InvoiceTest, ParsesEurosAsTyped) {
  EXPECT_EQ(*ParseEuros("95"), 9500);
  EXPECT_EQ(*ParseEuros("95,5"), 9550);
  EXPECT_EQ(*ParseEuros("95.50"), 9550);
  EXPECT_EQ(*ParseEuros(" 0,07 "), 7);
  EXPECT_EQ(*ParseEuros("100000"), 10000000);
  for (const char* bad : {"", "-5", "95,", ",5", "95,505", "1e3", "95 50",
                          "100000,01", "1.000,00", "€95", "9999999"}) {
    EXPECT_EQ(ParseEuros(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(InvoiceTest, WorkOfCasesTakesTheMonthsAndNothingElse) {
  std::vector<ReportCase> cases(3);
  cases[0].registered = absl::CivilDay(2026, 9, 30);
  cases[1].registered = absl::CivilDay(2026, 10, 1);
  cases[2].registered = absl::CivilDay(2026, 12, 31);
  for (ReportCase& c : cases) {
    c.minutes = 60;
    c.conversations = 1;
    c.categories = {"pesten"};
  }
  EXPECT_EQ(
      WorkOfCases(cases, absl::CivilMonth(2026, 10), absl::CivilMonth(2026, 12))
          .size(),
      2u);
}

TEST(InvoiceTest, CsvHasOneLayoutAndNoCaseData) {
  InvoiceOptions o = Options();
  o.recipient_address_lines = {"Postbus 1", "1000 AA Voorbeeld"};
  const auto inv = BuildInvoice({{2, 60}, {1, 40}}, o);
  ASSERT_TRUE(inv.ok());
  const std::string csv = InvoiceToCsv(*inv);
  EXPECT_TRUE(absl::StartsWith(csv, "field,label,value\r\n"));
  EXPECT_THAT(csv, HasSubstr("total,Totaal te betalen,191.97\r\n"));
  EXPECT_THAT(csv, HasSubstr("hours,Uren,1.67\r\n"));
  EXPECT_THAT(csv, HasSubstr("period,Periode,2026-10/2026-12\r\n"));
  EXPECT_THAT(csv, HasSubstr("issuer_iban,IBAN,NL91ABNA0417164300\r\n"));
  EXPECT_THAT(csv, HasSubstr("\"Postbus 1\n1000 AA Voorbeeld\""));
  const auto records = ::confidant::testing::ParseCsv(csv);
  ASSERT_TRUE(records.ok());
  for (const auto& r : *records) EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(PercentText(950, ReportLanguage::kDutch), "9,5%");
  EXPECT_EQ(PercentText(2100, ReportLanguage::kEnglish), "21%");
}

}  // namespace
}  // namespace confidant::client
