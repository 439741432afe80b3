// The case-work commands of the real `confidant` binary against the real
// relay: a trust person registers a whistleblower report, sees what is due,
// acknowledges, extends, shares a status, plans an appointment with the
// employee, hands the case to a colleague, blocks a sender and purges a
// closed case; every command with --json and with bad input.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/cli_fixture.h"

namespace confidant::cli_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliCaseworkTest : public CliTest {
 protected:
  // Enrolls a trust person into `profile`; returns the account id (hex).
  std::string Enroll(const std::string& profile, const std::string& name) {
    auto invite = AdminJson<v1::CreateInviteResponse>(
        {"invite", "create", "--org", org_.organisation().id()});
    CommandResult r = Cli(
        profile, {"enroll", "--invite", invite.invite_code(), "--name", name},
        /*json=*/true);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return JsonField(r.out, "account_id");
  }

  // Runs a command that must succeed; its output.
  std::string Ok(const std::string& profile, std::vector<std::string> args,
                 bool json = true) {
    CommandResult r = Cli(profile, args, json);
    EXPECT_EQ(r.exit_code, 0) << absl::StrJoin(args, " ") << ": " << r.err;
    return r.out;
  }
  // Runs a command that must fail with `code`; its error output.
  std::string Fails(const std::string& profile, std::vector<std::string> args,
                    int code = 1) {
    CommandResult r = Cli(profile, args, true);
    EXPECT_EQ(r.exit_code, code) << absl::StrJoin(args, " ") << ": " << r.out;
    return r.err;
  }
};

TEST_F(CliCaseworkTest, ATrustPersonsCaseWorkFromTheCommandLine) {
  const std::string tp_id = Enroll(tp_, "Anna de Vries");
  const std::string colleague = dir_.path() + "/colleague";
  const std::string bram_id = Enroll(colleague, "Bram Jansen");
  Ok(emp_, {"join", "--access-code", org_.access_code()});
  std::string out =
      Ok(emp_, {"open", "--to", tp_id, "--message", "Ik wil iets melden."});
  const std::string c = JsonField(out, "case");
  ASSERT_EQ(c.size(), 32u) << out;
  Ok(tp_, {"sync"});

  // The file, registered with this year's first number.
  out = Ok(tp_, {"case", "show", "--case", c});
  const std::string year =
      absl::FormatTime("%Y", absl::Now(), absl::LocalTimeZone());
  EXPECT_THAT(JsonField(out, "number"), ::testing::StartsWith(year + "-00"));
  EXPECT_EQ(JsonField(out, "status"), "new");
  out = Ok(tp_, {"case", "show", "--case", c}, /*json=*/false);
  EXPECT_THAT(out, HasSubstr("status:          new"));

  // Every registration field, and bad input changing nothing.
  EXPECT_THAT(Fails(tp_, {"case", "status", "--case", c, "done"}),
              HasSubstr("unknown status 'done'"));
  EXPECT_THAT(Fails(tp_, {"case", "category", "--case", c, "pesten,onzin"}),
              HasSubstr("unknown category onzin"));
  EXPECT_THAT(Fails(tp_, {"case", "show", "--case", "00"}),
              HasSubstr("unknown case 00"));
  Fails(tp_, {"case", "show"}, 2);  // --case missing
  EXPECT_THAT(Fails(emp_, {"case", "status", "--case", c, "closed"}),
              HasSubstr("trust persons only"));
  Ok(tp_, {"case", "status", "--case", c, "in-progress"});
  Ok(tp_, {"case", "category", "--case", c, "pesten,discriminatie"});
  Ok(tp_,
     {"case", "set", "--case", c, "--org", org_.organisation().id(), "--role",
      "manager", "--support", "listening,whistleblower", "--referral",
      "company-doctor,lawyer", "--outcome", "none", "--conversations", "2"});
  Ok(tp_, {"case", "time", "--case", c, "45"});
  Ok(tp_, {"case", "time", "--case", c, "--", "-15"});
  out = Ok(tp_, {"case", "note", "--case", c, "privé: eerste indruk"});
  EXPECT_EQ(JsonField(out, "status"), "in-progress");
  EXPECT_EQ(JsonField(out, "role"), "manager");
  EXPECT_EQ(JsonField(out, "organisation"), org_.organisation().id());
  EXPECT_THAT(out, HasSubstr("\"categories\":[\"pesten\",\"discriminatie\"]"));
  EXPECT_THAT(out, HasSubstr("\"support\":[\"listening\",\"whistleblower\"]"));
  EXPECT_THAT(out, HasSubstr("\"referrals\":[\"company-doctor\",\"lawyer\"]"));
  EXPECT_THAT(out, HasSubstr("\"conversations\":2"));
  EXPECT_THAT(out, HasSubstr("\"minutes\":30"));
  EXPECT_THAT(out, HasSubstr("\"text\":\"privé: eerste indruk\""));
  EXPECT_THAT(out, HasSubstr("\"whistleblower\":{"));

  // Due: the acknowledgement is 7 days away, so listed with --all only.
  out = Ok(tp_, {"due"});
  EXPECT_EQ(out, "{\"due\":[]}\n");
  out = Ok(tp_, {"due", "--all"});
  EXPECT_THAT(out, HasSubstr("\"kind\":\"acknowledgement\""));
  EXPECT_THAT(out, HasSubstr("\"days_left\":7"));
  EXPECT_THAT(out, HasSubstr("\"kind\":\"feedback\""));
  Ok(tp_, {"casework-settings", "--warning-days", "10"});
  out = Ok(tp_, {"due"});
  EXPECT_THAT(out, HasSubstr("\"state\":\"soon\""));
  out = Ok(tp_, {"due"}, /*json=*/false);
  EXPECT_THAT(out, HasSubstr("ontvangstbevestiging / acknowledgement of "
                             "receipt  binnenkort / soon (7 days)"));
  Fails(tp_, {"casework-settings", "--retention-days", "5"});
  EXPECT_THAT(Fails(emp_, {"due"}), HasSubstr("trust persons only"));

  // Acknowledge, extend, share a status; the employee sees them.
  Ok(tp_, {"case", "ack", "--case", c});
  out = Ok(tp_, {"due", "--all"});
  EXPECT_THAT(out, Not(HasSubstr("acknowledgement")));
  EXPECT_THAT(Fails(tp_, {"case", "extend", "--case", c, "--reason", ""}),
              HasSubstr("reason"));
  Ok(tp_, {"case", "extend", "--case", c, "--reason", "extern onderzoek"});
  EXPECT_THAT(
      Fails(tp_, {"case", "extend", "--case", c, "--reason", "nog eens"}),
      HasSubstr("extended before"));
  Ok(tp_, {"case", "share-status", "--case", c, "in-progress"});
  EXPECT_THAT(Fails(emp_, {"case", "share-status", "--case", c, "closed"}),
              HasSubstr("only the trust person"));
  Ok(emp_, {"sync"});
  out = Ok(emp_, {"read", "--case", c});
  EXPECT_THAT(out, HasSubstr("\"kind\":\"acknowledgement\""));
  EXPECT_THAT(out, HasSubstr("\"kind\":\"status\",\"status\":\"in-progress\""));
  out = Ok(emp_, {"read", "--case", c}, /*json=*/false);
  EXPECT_THAT(out, HasSubstr("status: in behandeling / in progress"));
  out = Ok(emp_, {"cases"});
  EXPECT_EQ(JsonField(out, "shared_status"), "in-progress");

  // An appointment: proposed, accepted, exported.
  EXPECT_THAT(Fails(tp_, {"case", "propose-appointment", "--case", c, "--slot",
                          "morgen,45,online"}),
              HasSubstr("YYYY-MM-DD HH:MM"));
  out = Ok(tp_, {"case", "propose-appointment", "--case", c, "--slot",
                 "2031-01-07 14:00,45,online", "--slot",
                 "2031-01-08 09:30,60,location,Kantoor Utrecht, kamer 2"});
  const std::string proposal = JsonField(out, "proposal");
  ASSERT_EQ(proposal.size(), 32u) << out;
  Ok(emp_, {"sync"});
  Fails(emp_,
        {"case", "accept-appointment", "--case", c, "--proposal", proposal},
        2);  // neither --slot nor --other
  EXPECT_THAT(Fails(emp_, {"case", "accept-appointment", "--case", c,
                           "--proposal", std::string(32, 'a'), "--slot", "1"}),
              HasSubstr("unknown appointment proposal"));
  Ok(emp_, {"case", "accept-appointment", "--case", c, "--proposal", proposal,
            "--slot", "2"});
  Ok(tp_, {"sync"});
  const std::string ics = dir_.path() + "/gesprek.ics";
  out = Ok(tp_, {"case", "appointment", "--case", c, "--ics", ics});
  EXPECT_EQ(JsonField(out, "state"), "accepted");
  EXPECT_EQ(JsonField(out, "place"), "Kantoor Utrecht, kamer 2");
  const std::string calendar = ReadFileOrDie(ics);
  EXPECT_THAT(calendar, HasSubstr("DTSTART:20310108T083000Z"));  // CET
  EXPECT_THAT(calendar, HasSubstr("LOCATION:Kantoor Utrecht\\, kamer 2"));
  out = Ok(tp_, {"case", "appointment", "--case", c}, /*json=*/false);
  EXPECT_THAT(out, HasSubstr("agreed / afgesproken: 2031-01-08 09:30 CET"));

  // A hand-over to the colleague with the history forwarded.
  EXPECT_THAT(Fails(tp_, {"case", "handover", "--case", c, "--to",
                          std::string(32, 'b'), "--reason", "absence"}),
              HasSubstr("a trust person of the case's organisation"));
  EXPECT_THAT(Fails(tp_, {"case", "handover", "--case", c, "--to", bram_id,
                          "--reason", "boredom"}),
              HasSubstr("unknown reason 'boredom'"));
  out = Ok(tp_, {"case", "handover", "--case", c, "--to", bram_id, "--reason",
                 "conflict-of-interest", "--note", "Ik ken de betrokkene."});
  const std::string handover = JsonField(out, "handover");
  ASSERT_EQ(handover.size(), 32u) << out;
  Ok(emp_, {"sync"});
  out = Ok(emp_, {"case", "accept-handover", "--case", c, "--handover",
                  handover, "--forward", "all"});
  const std::string moved = JsonField(out, "new_case");
  ASSERT_EQ(moved.size(), 32u) << out;
  EXPECT_THAT(out, HasSubstr("\"forwarded\":1"));
  Ok(colleague, {"sync"});
  out = Ok(colleague, {"read", "--case", moved});
  EXPECT_THAT(out, HasSubstr("\"kind\":\"handover-intro\""));
  EXPECT_THAT(out, HasSubstr("\"body\":\"Ik wil iets melden.\""));
  EXPECT_THAT(out, Not(HasSubstr("eerste indruk")));
  Ok(tp_, {"sync"});
  out = Ok(tp_, {"case", "show", "--case", c});
  EXPECT_EQ(JsonField(out, "status"), "closed");
  EXPECT_THAT(out, HasSubstr("\"handed_over\":true"));

  // Blocking: the colleague blocks the employee; a later message is dropped.
  Ok(colleague, {"case", "block", "--case", moved});
  Ok(emp_, {"send", "--case", moved, "Hallo Bram"});
  out = Ok(colleague, {"sync"});
  EXPECT_THAT(out, HasSubstr("\"blocked\":1"));
  out = Ok(colleague, {"read", "--case", moved});
  EXPECT_THAT(out, Not(HasSubstr("Hallo Bram")));
  EXPECT_THAT(Fails(emp_, {"case", "block", "--case", moved}),
              HasSubstr("only a trust person blocks"));

  // Purging: only with --yes, only a closed case; afterwards it is gone.
  Fails(tp_, {"case", "purge", "--case", c}, 2);
  EXPECT_THAT(Fails(colleague, {"case", "purge", "--case", moved, "--yes"}),
              HasSubstr("only a closed case"));
  Ok(tp_, {"case", "purge", "--case", c, "--yes"});
  EXPECT_THAT(Fails(tp_, {"case", "show", "--case", c}),
              HasSubstr("unknown case"));
}

// The report and the invoice from the case files, with bad input. With
// CONFIDANT_RENDER_OUT=DIR the PDFs are kept there to look at.
TEST_F(CliCaseworkTest, ReportAndInvoiceFromTheCaseFiles) {
  const std::string tp_id = Enroll(tp_, "Anna de Vries");
  Ok(emp_, {"join", "--access-code", org_.access_code()});
  std::vector<std::string> cases;
  for (int i = 0; i < 6; ++i) {
    std::string out = Ok(emp_, {"open", "--to", tp_id, "--message",
                                absl::StrCat("melding ", i)});
    cases.push_back(JsonField(out, "case"));
  }
  Ok(tp_, {"sync"});
  for (int i = 0; i < 6; ++i) {
    Ok(tp_, {"case", "category", "--case", cases[i],
             i < 5 ? "pesten" : "discriminatie"});
    Ok(tp_, {"case", "set", "--case", cases[i], "--role", "employee",
             "--support", "listening", "--conversations", "2"});
    Ok(tp_, {"case", "time", "--case", cases[i], "50"});
    Ok(tp_, {"send", "--case", cases[i], "Dank voor je bericht."});
  }
  const std::string year =
      absl::FormatTime("%Y", absl::Now(), absl::LocalTimeZone());
  const std::string csv = dir_.path() + "/verslag.csv";
  std::string out = Ok(tp_, {"report", "--from", year + "-01-01", "--to",
                             year + "-12-31", "--format", "csv", "--out", csv});
  EXPECT_EQ(JsonField(out, "cases"), "6");
  EXPECT_EQ(JsonField(out, "organisation"), "Gemeente Voorbeeld");
  const std::string table = ReadFileOrDie(csv);
  EXPECT_THAT(table, HasSubstr("category,pesten,Pesten,5"));
  EXPECT_THAT(table, HasSubstr("category,discriminatie,Discriminatie,<5"));
  for (const std::string& c : cases) {
    EXPECT_THAT(table, Not(HasSubstr(c)));
  }
  EXPECT_THAT(table, Not(HasSubstr("melding 0")));

  const char* keep = std::getenv("CONFIDANT_RENDER_OUT");
  const std::string pdf_dir = keep != nullptr ? keep : dir_.path();
  const std::string pdf = pdf_dir + "/cli-verslag.pdf";
  Ok(tp_,
     {"report", "--from", year + "-01-01", "--to", year + "-12-31", "--out",
      pdf, "--language", "en"},
     /*json=*/false);
  EXPECT_EQ(ReadFileOrDie(pdf).substr(0, 5), "%PDF-");

  // Bad input: a period ending before it starts, k below 2, a bad date, an
  // organisation not served, an employee.
  EXPECT_THAT(Fails(tp_, {"report", "--from", year + "-12-31", "--to",
                          year + "-01-01", "--out", pdf}),
              HasSubstr("ends before it starts"));
  EXPECT_THAT(Fails(tp_, {"report", "--from", year + "-01-01", "--to",
                          year + "-12-31", "--k", "1", "--out", pdf}),
              HasSubstr("at least 2"));
  EXPECT_THAT(Fails(tp_, {"report", "--from", "gisteren", "--to",
                          year + "-12-31", "--out", pdf}),
              HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(
      Fails(tp_, {"report", "--org", "0123456789abcdef", "--from",
                  year + "-01-01", "--to", year + "-12-31", "--out", pdf}),
      HasSubstr("you do not serve organisation"));
  EXPECT_THAT(Fails(emp_, {"report", "--from", year + "-01-01", "--to",
                           year + "-12-31", "--out", pdf}),
              HasSubstr("trust persons only"));
  Fails(tp_,
        {"report", "--from", year + "-01-01", "--to", year + "-12-31",
         "--format", "docx", "--out", pdf},
        2);

  // The invoice: without issuer details it says what is missing; with them
  // it counts the six cases and numbers itself.
  const std::string invoice = pdf_dir + "/cli-factuur.pdf";
  Fails(tp_, {"invoice", "--from", year + "-01", "--to", year + "-12", "--out",
              invoice});
  Ok(tp_,
     {"casework-settings", "--invoice-name", "Anna de Vries",
      "--invoice-practice", "De Vries Vertrouwenszaken", "--invoice-address",
      "Keizersgracht 123", "--invoice-address", "1015 CJ Amsterdam", "--kvk",
      "12345678", "--vat-number", "NL123456789B01", "--iban",
      "NL91 ABNA 0417 1643 00", "--rate", "95"});
  out = Ok(tp_, {"invoice", "--from", year + "-01", "--to", year + "-12",
                 "--out", invoice});
  EXPECT_EQ(JsonField(out, "number"), year + "-001");
  EXPECT_THAT(out, HasSubstr("\"cases\":6"));
  EXPECT_THAT(out, HasSubstr("\"minutes\":300"));
  EXPECT_EQ(JsonField(out, "subtotal"), "475.00");  // 5 h at EUR 95
  EXPECT_EQ(JsonField(out, "total"), "574.75");     // with 21% VAT
  out = Ok(tp_, {"invoice", "--from", year + "-01", "--to", year + "-12",
                 "--format", "csv", "--out", dir_.path() + "/factuur.csv"});
  EXPECT_EQ(JsonField(out, "number"), year + "-002");
  EXPECT_THAT(Fails(tp_, {"invoice", "--from", year + "-12", "--to",
                          year + "-01", "--out", invoice}),
              HasSubstr("ends before it starts"));
  EXPECT_THAT(Fails(tp_, {"casework-settings", "--rate", "-5"}),
              HasSubstr("0 to 100000"));
}

}  // namespace
}  // namespace confidant::cli_testing
