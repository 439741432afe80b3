// Test data shared by the report and invoice tests and the benchmark: the
// Dutch default subjects and a complete invoice. Header-only, test-only.
#ifndef CONFIDANT_TESTS_CLIENT_REPORT_TEST_DATA_H_
#define CONFIDANT_TESTS_CLIENT_REPORT_TEST_DATA_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "client/app/invoice.h"
#include "client/app/report.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

inline v1::Category MakeCategory(const std::string& key,
                                 const std::string& name_nl,
                                 const std::string& name_en) {
  v1::Category c;
  c.set_key(key);
  c.set_name_nl(name_nl);
  c.set_name_en(name_en);
  return c;
}

// What Dutch trust persons report on (as casework's defaults), with the
// longest names in full.
inline std::vector<v1::Category> TestCategories() {
  return {MakeCategory("pesten", "Pesten", "Bullying"),
          MakeCategory("intimidatie", "Intimidatie", "Intimidation"),
          MakeCategory("seksuele-intimidatie", "Seksuele intimidatie",
                       "Sexual harassment"),
          MakeCategory("agressie-geweld", "Agressie en geweld",
                       "Aggression and violence"),
          MakeCategory("discriminatie", "Discriminatie", "Discrimination"),
          MakeCategory("integriteit",
                       "Integriteit (fraude, machtsmisbruik, diefstal)",
                       "Integrity (fraud, abuse of power, theft)"),
          MakeCategory("werkdruk", "Werkdruk / psychosociale arbeidsbelasting",
                       "Work pressure / psychosocial workload"),
          MakeCategory("overig", "Overig", "Other")};
}

// A report of Anna de Vries to Gemeente Voorbeeld for 2026, in Dutch.
inline ReportOptions TestReportOptions() {
  ReportOptions o;
  o.from = absl::CivilDay(2026, 1, 1);
  o.to = absl::CivilDay(2026, 12, 31);
  o.organisation_name = "Gemeente Voorbeeld";
  o.trust_person_name = "Anna de Vries";
  o.categories = TestCategories();
  return o;
}

// A valid invoice of Anna de Vries to Gemeente Voorbeeld for 2026.
inline InvoiceOptions TestInvoiceOptions() {
  InvoiceOptions o;
  o.issuer.name = "Anna de Vries";
  o.issuer.practice = "De Vries Vertrouwenszaken";
  o.issuer.address_lines = {"Keizersgracht 123", "1015 CJ Amsterdam"};
  o.issuer.kvk_number = "12345678";
  o.issuer.vat_number = "NL123456789B01";
  o.issuer.iban = "NL91 ABNA 0417 1643 00";
  o.issuer.email = "anna@devries.example";
  o.recipient_name = "Gemeente Voorbeeld";
  o.recipient_address_lines = {"t.a.v. de afdeling P&O", "Postbus 1",
                               "1000 AA Voorbeeld"};
  o.invoice_number = "2026-004";
  o.invoice_date = absl::CivilDay(2027, 1, 8);
  o.from = absl::CivilMonth(2026, 1);
  o.to = absl::CivilMonth(2026, 12);
  o.hourly_rate_cents = 9500;
  return o;
}

}  // namespace confidant::client

#endif  // CONFIDANT_TESTS_CLIENT_REPORT_TEST_DATA_H_
