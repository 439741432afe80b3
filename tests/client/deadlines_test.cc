// The deadlines of a whistleblower report (client/app/deadlines.h): month
// ends, leap years, daylight-saving changes and the day's end in the trust
// person's time zone.
#include "client/app/deadlines.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace confidant::client {
namespace {

using Day = absl::CivilDay;

absl::TimeZone Amsterdam() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Amsterdam", &zone));
  return zone;
}

int64_t Unix(int y, int mo, int d, int h, int mi, absl::TimeZone zone) {
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone));
}

TEST(DeadlinesTest, AddMonthsClampsToTheMonthsLastDay) {
  EXPECT_EQ(AddMonths(Day(2026, 1, 15), 3), Day(2026, 4, 15));
  EXPECT_EQ(AddMonths(Day(2026, 8, 31), 3), Day(2026, 11, 30));
  EXPECT_EQ(AddMonths(Day(2026, 11, 30), 3), Day(2027, 2, 28));
  EXPECT_EQ(AddMonths(Day(2027, 11, 30), 3), Day(2028, 2, 29));  // leap
  EXPECT_EQ(AddMonths(Day(2027, 11, 29), 3), Day(2028, 2, 29));
  EXPECT_EQ(AddMonths(Day(2099, 11, 30), 3), Day(2100, 2, 28));  // no leap
  EXPECT_EQ(AddMonths(Day(2099, 11, 30), 3 + 12 * 300), Day(2400, 2, 29));
  EXPECT_EQ(AddMonths(Day(2026, 12, 31), 2), Day(2027, 2, 28));
  EXPECT_EQ(AddMonths(Day(2026, 10, 31), 6), Day(2027, 4, 30));
  EXPECT_EQ(AddMonths(Day(2028, 2, 29), 12), Day(2029, 2, 28));
}

TEST(DeadlinesTest, AcknowledgementInSevenDaysFeedbackInThreeMonths) {
  const absl::TimeZone ams = Amsterdam();
  v1::CaseFile::Wbk wbk;
  wbk.set_received_unix(Unix(2026, 1, 26, 14, 0, ams));
  WbkDeadlines d = ComputeDeadlines(wbk, ams);
  EXPECT_EQ(d.received, Day(2026, 1, 26));
  EXPECT_EQ(d.acknowledge_by, Day(2026, 2, 2));  // across a month end
  // None sent: from the end of the 7 days.
  EXPECT_EQ(d.feedback_by, Day(2026, 5, 2));
  // Sent on day 3: from then.
  wbk.set_acknowledged_unix(Unix(2026, 1, 29, 9, 0, ams));
  d = ComputeDeadlines(wbk, ams);
  EXPECT_EQ(d.acknowledged, Day(2026, 1, 29));
  EXPECT_EQ(d.feedback_by, Day(2026, 4, 29));
  // Sent late: a late acknowledgement buys no time.
  wbk.set_acknowledged_unix(Unix(2026, 2, 20, 9, 0, ams));
  d = ComputeDeadlines(wbk, ams);
  EXPECT_EQ(d.feedback_by, Day(2026, 5, 2));
  // Extended: 6 months in all, counted from the same start.
  wbk.set_acknowledged_unix(Unix(2026, 11, 30, 9, 0, ams));
  wbk.set_received_unix(Unix(2026, 11, 27, 9, 0, ams));
  wbk.set_extension_reason("onderzoek door externe partij");
  d = ComputeDeadlines(wbk, ams);
  EXPECT_TRUE(d.extended);
  EXPECT_EQ(d.feedback_by, Day(2027, 5, 30));
  wbk.clear_extension_reason();
  EXPECT_EQ(ComputeDeadlines(wbk, ams).feedback_by, Day(2027, 2, 28));
}

TEST(DeadlinesTest, LeapYearFeedback) {
  const absl::TimeZone ams = Amsterdam();
  v1::CaseFile::Wbk wbk;
  wbk.set_received_unix(Unix(2027, 11, 23, 10, 0, ams));
  // Not acknowledged: 7 days end on 30 November; + 3 months = 29 Feb 2028.
  const WbkDeadlines d = ComputeDeadlines(wbk, ams);
  EXPECT_EQ(d.acknowledge_by, Day(2027, 11, 30));
  EXPECT_EQ(d.feedback_by, Day(2028, 2, 29));
}

TEST(DeadlinesTest, DaysAreTheTrustPersonsAcrossDaylightSavingChanges) {
  const absl::TimeZone ams = Amsterdam();
  v1::CaseFile::Wbk wbk;
  // 22:30 UTC on 24 October 2026 is 00:30 on the 25th in Amsterdam (CEST),
  // the night summer time ends.
  wbk.set_received_unix(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilMinute(2026, 10, 24, 22, 30), absl::UTCTimeZone())));
  WbkDeadlines d = ComputeDeadlines(wbk, ams);
  EXPECT_EQ(d.received, Day(2026, 10, 25));
  EXPECT_EQ(d.acknowledge_by, Day(2026, 11, 1));
  // The last day lasts until midnight in Amsterdam, now CET (UTC+1).
  auto state_at = [&](int mo, int day, int h, int mi) {
    const absl::Time t = absl::FromCivil(
        absl::CivilMinute(2026, mo, day, h, mi), absl::UTCTimeZone());
    return StateOf(d.acknowledge_by, absl::ToCivilDay(t, ams), 3);
  };
  EXPECT_EQ(state_at(10, 28, 12, 0), DueItem::State::kUpcoming);
  EXPECT_EQ(state_at(10, 29, 12, 0), DueItem::State::kWarning);
  EXPECT_EQ(state_at(11, 1, 22, 59), DueItem::State::kToday);
  EXPECT_EQ(state_at(11, 1, 23, 0), DueItem::State::kOverdue);

  // Received the night summer time starts: 23:30 UTC on 28 March 2026 is
  // 00:30 CET on the 29th; the feedback deadline lies in summer time.
  wbk.set_received_unix(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilMinute(2026, 3, 28, 23, 30), absl::UTCTimeZone())));
  d = ComputeDeadlines(wbk, ams);
  EXPECT_EQ(d.received, Day(2026, 3, 29));
  EXPECT_EQ(d.acknowledge_by, Day(2026, 4, 5));
  EXPECT_EQ(d.feedback_by, Day(2026, 7, 5));
  // 21:59 UTC on 5 July is 23:59 CEST: still the last day.
  EXPECT_EQ(StateOf(d.feedback_by,
                    absl::ToCivilDay(
                        absl::FromCivil(absl::CivilMinute(2026, 7, 5, 21, 59),
                                        absl::UTCTimeZone()),
                        ams),
                    3),
            DueItem::State::kToday);
  EXPECT_EQ(StateOf(d.feedback_by,
                    absl::ToCivilDay(
                        absl::FromCivil(absl::CivilMinute(2026, 7, 5, 22, 0),
                                        absl::UTCTimeZone()),
                        ams),
                    3),
            DueItem::State::kOverdue);
}

TEST(DeadlinesTest, MetOnceDoneOrPast) {
  const Day deadline(2026, 2, 2);
  EXPECT_EQ(Met(deadline, std::nullopt, Day(2026, 2, 1)), std::nullopt);
  EXPECT_EQ(Met(deadline, std::nullopt, Day(2026, 2, 2)), std::nullopt);
  EXPECT_EQ(Met(deadline, std::nullopt, Day(2026, 2, 3)), false);
  EXPECT_EQ(Met(deadline, Day(2026, 2, 2), Day(2026, 9, 1)), true);
  EXPECT_EQ(Met(deadline, Day(2026, 2, 3), Day(2026, 9, 1)), false);
  EXPECT_EQ(StateOf(deadline, Day(2026, 1, 30), 0), DueItem::State::kUpcoming);
  EXPECT_EQ(StateOf(deadline, Day(2026, 1, 30), 3), DueItem::State::kWarning);
}

}  // namespace
}  // namespace confidant::client
