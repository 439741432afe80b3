// safety-number and verify.
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli.h"

namespace confidant::cli {

int SafetyNumber(const Request& req, bool verify) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::CaseSummary> s = FindCase(**app, req.case_id);
  if (!s.ok()) return Fail(s.status());
  client::SyncReport replayed;
  if (verify) {
    absl::StatusOr<client::SyncReport> verified =
        (*app)->Verify(s->case_id, req.number);
    if (!verified.ok()) return Fail(verified.status());
    replayed = *std::move(verified);
    // What waited for the check (replies, receipts) may leave now.
    (*app)->SendQueued().IgnoreError();
  }
  absl::StatusOr<client::SafetyNumberState> state =
      (*app)->SafetyNumber(s->case_id);
  if (!state.ok()) return Fail(state.status());
  const std::string grouped = state->number.Grouped();
  if (req.json) {
    Print(JsonObject()
              .Str("case", Hex(s->case_id))
              .Str("safety_number", grouped)
              .Bool("verified", state->verified)
              .Bool("changed", state->changed)
              .Int("received", replayed.received)
              .Build() +
          "\n");
  } else if (verify) {
    Print(absl::StrCat(
        "verified / geverifieerd: ", grouped, "\n",
        s->identity_changed
            ? absl::StrCat("the case is unblocked / melding gedeblokkeerd; ",
                           replayed.received,
                           " waiting message(s) received / ontvangen\n")
            : ""));
  } else {
    Print(absl::StrCat(grouped, "\n",
                       state->changed
                           ? "CHANGED: compare it, then run `confidant verify "
                             "--number ...` with the number you compared / "
                             "GEWIJZIGD\n"
                           : "",
                       state->verified ? "verified / geverifieerd\n"
                                       : "not verified / niet geverifieerd\n"));
  }
  return kExitOk;
}

}  // namespace confidant::cli
