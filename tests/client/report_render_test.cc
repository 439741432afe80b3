// The report and the invoice as a reader gets them: PDFs rendered to PNG
// with poppler's pdftoppm and read back with pdftotext. Skipped (with a
// message) only where poppler-utils is missing; dev.sh installs it.
// CONFIDANT_RENDER_OUT=DIR keeps the PDFs and PNGs there to look at.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/app/invoice.h"
#include "client/app/report.h"
#include "client/app/report_pdf.h"
#include "gtest/gtest.h"
#include "tests/client/report_test_data.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::confidant::testing::RunCommand;
using ::confidant::testing::TempDir;
using v1::CaseFile;

// 41 cases over 2026: many bullying and work-pressure cases, few of the
// rest.
std::vector<ReportCase> SampleCases() {
  std::vector<ReportCase> cases;
  auto add =
      [&](int month, std::vector<std::string> cats, CaseFile::ReporterRole role,
          std::vector<CaseFile::Support> support, CaseFile::Outcome outcome) {
        ReportCase c;
        c.registered = absl::CivilDay(2026, month, 3 + month);
        c.categories = std::move(cats);
        c.role = role;
        c.support = std::move(support);
        c.outcome = outcome;
        c.days_to_first_response = month % 4;
        c.conversations = 2 + month % 3;
        c.minutes = 45 + 10 * month;
        cases.push_back(std::move(c));
      };
  for (int i = 0; i < 14; ++i) {
    add(1 + i % 12, {"pesten"}, CaseFile::EMPLOYEE,
        {CaseFile::LISTENING_AND_ADVICE}, CaseFile::RESOLVED);
  }
  for (int i = 0; i < 11; ++i) {
    add(1 + (i * 5) % 12, {"werkdruk", "pesten"}, CaseFile::EMPLOYEE,
        {CaseFile::LISTENING_AND_ADVICE, CaseFile::REFERRAL},
        CaseFile::REFERRED);
  }
  for (int i = 0; i < 6; ++i) {
    add(2 + i, {"intimidatie"}, i < 3 ? CaseFile::MANAGER : CaseFile::EMPLOYEE,
        {CaseFile::MEDIATION}, CaseFile::RESOLVED);
  }
  add(5, {"seksuele-intimidatie"}, CaseFile::EMPLOYEE,
      {CaseFile::FORMAL_COMPLAINT_SUPPORT}, CaseFile::FORMAL_COMPLAINT);
  add(9, {"discriminatie"}, CaseFile::HR, {CaseFile::LISTENING_AND_ADVICE},
      CaseFile::OUTCOME_UNSPECIFIED);
  for (int i = 0; i < 8; ++i) {
    add(3 + i, {"integriteit"}, CaseFile::EMPLOYEE,
        {CaseFile::WHISTLEBLOWER_REPORT}, CaseFile::OUTCOME_UNSPECIFIED);
    cases.back().whistleblower = true;
    cases.back().acknowledgement_met = i != 3;
    if (i < 5) cases.back().feedback_met = true;
  }
  return cases;
}

std::string LongTrends() {
  std::string text =
      "Pesten en werkdruk blijven de meest genoemde onderwerpen. Opvallend is "
      "dat meldingen over werkdruk vaak samengaan met pesten binnen "
      "hetzelfde team.\n\n";
  for (int i = 1; i <= 14; ++i) {
    absl::StrAppend(
        &text, "Aanbeveling ", i,
        ": bespreek in het managementoverleg hoe leidinggevenden signalen "
        "van ongewenst gedrag eerder herkennen en bespreekbaar maken; zorg "
        "dat medewerkers weten dat zij de vertrouwenspersoon vertrouwelijk "
        "kunnen raadplegen, ook over kwesties die nog niet als klacht zijn "
        "geformuleerd, en dat een melding geen gevolgen heeft voor hun "
        "positie. Een extra lang woord om het afbreken te toetsen: "
        "arbeidsomstandighedenspreekuurvoorbereidingsdocumentatie.\n\n");
  }
  return text;
}

std::string OutDir(const TempDir& tmp) {
  if (const char* out = std::getenv("CONFIDANT_RENDER_OUT")) {
    std::filesystem::create_directories(out);
    return out;
  }
  return tmp.path();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}

// Renders `pdf` to PNG pages at 60 dpi; their paths.
std::vector<std::string> Render(const std::string& pdf,
                                const std::string& prefix) {
  const auto r =
      RunCommand({CONFIDANT_PDFTOPPM, "-png", "-r", "60", pdf, prefix});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> pages;
  for (int i = 1; i < 20; ++i) {
    for (const std::string& name : {absl::StrCat(prefix, "-", i, ".png"),
                                    absl::StrCat(prefix, "-0", i, ".png")}) {
      if (std::filesystem::exists(name)) pages.push_back(name);
    }
  }
  return pages;
}

std::string PdfText(const std::string& pdf) {
  const auto r = RunCommand({CONFIDANT_PDFTOTEXT, "-layout", pdf, "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// Each page is a real picture and holds text besides its footer.
void ExpectEveryPageHasContent(const std::string& pdf,
                               const std::vector<std::string>& pages) {
  for (size_t i = 0; i < pages.size(); ++i) {
    EXPECT_GT(std::filesystem::file_size(pages[i]), 2000u) << pages[i];
    const std::string n = absl::StrCat(i + 1);
    const auto r =
        RunCommand({CONFIDANT_PDFTOTEXT, "-f", n, "-l", n, pdf, "-"});
    std::string body;
    for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
      if (absl::StrContains(line, "Pagina") ||
          absl::StrContains(line, "Page")) {
        continue;  // the footer
      }
      for (char c : line) {
        if (c != ' ' && c != '\f') body.push_back(c);
      }
    }
    EXPECT_GT(body.size(), 40u)
        << "page " << n << " of " << pdf << " is empty but for its footer";
  }
}

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(CONFIDANT_PDFTOPPM).empty() ||
        std::string(CONFIDANT_PDFTOTEXT).empty()) {
      GTEST_SKIP() << "pdftoppm/pdftotext not found: install poppler-utils "
                      "(./dev.sh deps) to render the PDFs";
    }
  }
  TempDir tmp_;
};

TEST_F(RenderTest, DutchReportWithLongTrendsRendersOnSeveralPages) {
  ReportOptions options = TestReportOptions();
  options.trends = LongTrends();
  const auto report = BuildReport(SampleCases(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  const auto pdf = ReportToPdf(*report);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  ASSERT_TRUE(absl::StartsWith(*pdf, "%PDF-"));

  const std::string dir = OutDir(tmp_);
  WriteFile(dir + "/report-nl.pdf", *pdf);
  const std::vector<std::string> pages =
      Render(dir + "/report-nl.pdf", dir + "/report-nl");
  ASSERT_GE(pages.size(), 3u) << "the trends text should need more pages";
  ExpectEveryPageHasContent(dir + "/report-nl.pdf", pages);

  const std::string text = PdfText(dir + "/report-nl.pdf");
  for (const char* expected :
       {"Verslag van de vertrouwenspersoon", "Gemeente Voorbeeld",
        "1 januari 2026 – 31 december 2026", "Anna de Vries", "Kerncijfers",
        "Aantal zaken", "Pesten", "Werkdruk / psychosociale", "<5", "≥5",
        "1e kwartaal 2026", "Trends en aanbevelingen", "Aanbeveling 14",
        "Pagina 1 van", "Toelichting", "Luisteren en advies"}) {
    EXPECT_TRUE(absl::StrContains(text, expected)) << expected;
  }
  // No English left in the Dutch report, no case data beyond the counts.
  for (const char* absent :
       {"Bullying", "Number of cases", "Page ", "2026-0", "Q1"}) {
    EXPECT_FALSE(absl::StrContains(text, absent)) << absent;
  }
}

TEST_F(RenderTest, EnglishReportUsesEnglishNames) {
  ReportOptions options = TestReportOptions();
  options.organisation_name = "Example Ltd";
  options.language = ReportOptions::Language::kEnglish;
  const auto report = BuildReport(SampleCases(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  const auto pdf = ReportToPdf(*report);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  const std::string dir = OutDir(tmp_);
  WriteFile(dir + "/report-en.pdf", *pdf);
  const std::vector<std::string> pages =
      Render(dir + "/report-en.pdf", dir + "/report-en");
  EXPECT_GE(pages.size(), 2u);
  ExpectEveryPageHasContent(dir + "/report-en.pdf", pages);
  const std::string text = PdfText(dir + "/report-en.pdf");
  for (const char* expected : {"Report of the trust person", "Bullying",
                               "Q1 2026", "Number of cases", "Page 1 of"}) {
    EXPECT_TRUE(absl::StrContains(text, expected)) << expected;
  }
  for (const char* absent : {"Pesten", "Aantal zaken", "Pagina", "kwartaal"}) {
    EXPECT_FALSE(absl::StrContains(text, absent)) << absent;
  }
}

TEST_F(RenderTest, InvoiceRendersWithTotalsAndNoCaseData) {
  const InvoiceOptions options = TestInvoiceOptions();
  const auto invoice = BuildInvoice(
      WorkOfCases(SampleCases(), options.from, options.to), options);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  const auto pdf = InvoiceToPdf(*invoice);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  const std::string dir = OutDir(tmp_);
  WriteFile(dir + "/invoice-nl.pdf", *pdf);
  const std::vector<std::string> pages =
      Render(dir + "/invoice-nl.pdf", dir + "/invoice-nl");
  ASSERT_EQ(pages.size(), 1u);
  ExpectEveryPageHasContent(dir + "/invoice-nl.pdf", pages);
  const std::string text = PdfText(dir + "/invoice-nl.pdf");
  for (const std::string& expected :
       {std::string("Factuur"), std::string("2026-004"),
        std::string("8 januari 2027"), std::string("7 februari 2027"),
        std::string("januari 2026 – december 2026"),
        std::string("Gemeente Voorbeeld"), std::string("12345678"),
        std::string("NL91 ABNA 0417 1643 00"),
        std::string("Uren à € 95,00 per uur"), std::string("Btw 21%"),
        MoneyText(invoice->subtotal_cents, ReportLanguage::kDutch),
        MoneyText(invoice->total_cents, ReportLanguage::kDutch),
        std::string("Totaal te betalen"), std::string("Pagina 1 van 1")}) {
    EXPECT_TRUE(absl::StrContains(text, expected)) << expected;
  }
  for (const char* absent : {"Pesten", "Integriteit", "kwartaal", "Invoice"}) {
    EXPECT_FALSE(absl::StrContains(text, absent)) << absent;
  }
}

// The width and height in a PNG's IHDR chunk.
std::pair<uint32_t, uint32_t> PngSize(const std::string& png) {
  auto be32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24 |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1]))
               << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    return {0, 0};
  }
  return {be32(16), be32(20)};
}

// The preview is drawn by the PDF's own code: one image per page of the
// PDF, A4 at the asked scale, and not blank.
TEST(PdfPreviewTest, OneImagePerPageOfThePdf) {
  ReportOptions options = TestReportOptions();
  options.trends = LongTrends();
  const auto report = BuildReport(SampleCases(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  PdfPreview preview;
  preview.pixels_per_point = 1.5;
  const auto pdf = ReportToPdf(*report, &preview);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  size_t pages = 0;
  for (size_t at = pdf->find("/Type /Page"); at != std::string::npos;
       at = pdf->find("/Type /Page", at + 1)) {
    if (pdf->compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  ASSERT_GE(pages, 3u);
  ASSERT_EQ(preview.pages_png.size(), pages);
  for (const std::string& png : preview.pages_png) {
    EXPECT_EQ(PngSize(png), std::make_pair(uint32_t{893}, uint32_t{1263}));
    // A white page with only its footer compresses to a few kilobytes.
    EXPECT_GT(png.size(), 20000u);
  }

  const InvoiceOptions invoice_options = TestInvoiceOptions();
  const auto invoice = BuildInvoice(
      WorkOfCases(SampleCases(), invoice_options.from, invoice_options.to),
      invoice_options);
  ASSERT_TRUE(invoice.ok()) << invoice.status();
  PdfPreview small;
  small.pixels_per_point = 0.5;
  ASSERT_TRUE(InvoiceToPdf(*invoice, &small).ok());
  ASSERT_EQ(small.pages_png.size(), 1u);
  EXPECT_EQ(PngSize(small.pages_png[0]),
            std::make_pair(uint32_t{298}, uint32_t{421}));

  PdfPreview bad;
  bad.pixels_per_point = 0;
  EXPECT_EQ(InvoiceToPdf(*invoice, &bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace confidant::client
