#include "core/Errors.h"
#include "text/Dates.h"

#include <boost/date_time/local_time/local_time.hpp>
#include <gtest/gtest.h>

using namespace fbtrack;

namespace {
boost::local_time::time_zone_ptr jst() { return boost::local_time::time_zone_ptr(new boost::local_time::posix_time_zone("JST+9")); }
boost::local_time::time_zone_ptr pacific() {
    return boost::local_time::time_zone_ptr(
        new boost::local_time::posix_time_zone("PST-08PDT+01,M3.2.0/02:00,M11.1.0/02:00"));
}
std::string utc(std::string_view text, const boost::local_time::time_zone_ptr& z) { return to_iso_utc(parse_timestamp(text, z)); }
}  // namespace

TEST(Timestamps, HonourEveryOffsetForm) {
    EXPECT_EQ(utc("2022-10-30T03:00:54+09:00", jst()), "2022-10-29T18:00:54Z");
    EXPECT_EQ(utc("2023-04-12T14:59:59+00:00", jst()), "2023-04-12T14:59:59Z");
    EXPECT_EQ(utc("2023-04-12T14:59:59Z", jst()), "2023-04-12T14:59:59Z");
    EXPECT_EQ(utc("2023-04-12T14:59:59.123Z", jst()), "2023-04-12T14:59:59Z");
    EXPECT_EQ(utc("2023-04-12T06:00:00-0700", jst()), "2023-04-12T13:00:00Z");
    EXPECT_EQ(utc("2023-04-12T06:00:00-07", jst()), "2023-04-12T13:00:00Z");
}

TEST(Timestamps, ReadTimesWithoutOffsetAsMarketplaceLocal) {
    EXPECT_EQ(utc("2023/04/10 21:33", jst()), "2023-04-10T12:33:00Z");
    EXPECT_EQ(utc("2023-04-10", jst()), "2023-04-09T15:00:00Z");
    EXPECT_EQ(utc("2023-07-04 12:00:00", pacific()), "2023-07-04T19:00:00Z");  // PDT
    EXPECT_EQ(utc("2023-01-04 12:00:00", pacific()), "2023-01-04T20:00:00Z");  // PST
}

TEST(Timestamps, RefuseImpossibleValues) {
    EXPECT_THROW(parse_timestamp("2023-02-30T10:00:00+09:00", jst()), ValueError);
    EXPECT_THROW(parse_timestamp("2023-13-01", jst()), ValueError);
    EXPECT_THROW(parse_timestamp("2023-04-10T24:00:00Z", jst()), ValueError);
    EXPECT_THROW(parse_timestamp("2023-04-10T10:00:00+09:00 trailing", jst()), ValueError);
    EXPECT_THROW(parse_timestamp("10/04/2023", jst()), ValueError);
    EXPECT_THROW(parse_timestamp("", jst()), ValueError);
    // Found by the Dates fuzzer: a UTC offset stepped past the end of Boost's calendar.
    EXPECT_THROW(parse_timestamp("9999-12-31T23:59:59-14:00", jst()), ValueError);
    EXPECT_THROW(parse_timestamp("1400-01-01T00:00:00+14:00", jst()), ValueError);
    EXPECT_THROW(parse_feedback_date("1899/12/31", DateOrder::year_month_day), ValueError);
    EXPECT_EQ(to_iso_date(parse_feedback_date("2199/12/31", DateOrder::year_month_day)), "2199-12-31");
}

TEST(LocalDates, ReduceTimestampsToTheMarketplaceDay) {
    EXPECT_EQ(to_iso_date(parse_local_date("2023-04-12", jst())), "2023-04-12");
    EXPECT_EQ(to_iso_date(parse_local_date("2023/4/2", jst())), "2023-04-02");
    // 16:00 UTC is already the next day in Japan.
    EXPECT_EQ(to_iso_date(parse_local_date("2023-04-12T16:00:00+00:00", jst())), "2023-04-13");
}

TEST(FeedbackDates, FollowTheMarketplaceNotTheValue) {
    EXPECT_EQ(to_iso_date(parse_feedback_date("23/4/10", DateOrder::year_month_day)), "2023-04-10");
    EXPECT_EQ(to_iso_date(parse_feedback_date("2023/4/10", DateOrder::year_month_day)), "2023-04-10");
    EXPECT_EQ(to_iso_date(parse_feedback_date("10/20/23", DateOrder::month_day_year)), "2023-10-20");
    EXPECT_EQ(to_iso_date(parse_feedback_date("4/1/2023", DateOrder::month_day_year)), "2023-04-01");
    // 4/1/23 is 1 April in the US and 2004-01-23 nowhere: a year-first marketplace refuses it.
    EXPECT_THROW(parse_feedback_date("4/1/23", DateOrder::year_month_day), ValueError);
    EXPECT_THROW(parse_feedback_date("10/20/23", DateOrder::year_month_day), ValueError);
    EXPECT_THROW(parse_feedback_date("2/30/23", DateOrder::month_day_year), ValueError);
    EXPECT_THROW(parse_feedback_date("Date", DateOrder::month_day_year), ValueError);
}

TEST(MailDates, ReadsWhatRfc5322AllowsAndMailersWrite) {
    const auto iso = [](std::string_view text) {
        const auto t = fbtrack::parse_mail_date(text);
        return t ? fbtrack::to_iso_utc(*t) : std::string("none");
    };
    EXPECT_EQ(iso("Fri, 09 Oct 2026 22:30:12 +0900"), "2026-10-09T13:30:12Z");
    EXPECT_EQ(iso("Fri, 9 Oct 2026 22:30:12 +0900 (JST)"), "2026-10-09T13:30:12Z");
    EXPECT_EQ(iso("23 Oct 2003 22:40:49 -0700"), "2003-10-24T05:40:49Z");  // no weekday
    EXPECT_EQ(iso("29 Apr 2015 23:34:45 -0000"), "2015-04-29T23:34:45Z");
    EXPECT_EQ(iso("21 Nov 97 09:55:06 GMT"), "1997-11-21T09:55:06Z");      // two-digit year
    EXPECT_EQ(iso("Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n   -0330 (Newfoundland Time)"),
              "1969-02-14T03:02:00Z");  // folded, no seconds
    EXPECT_EQ(iso("Mon, 5 Oct 2026 10:00:00 EDT"), "2026-10-05T14:00:00Z");
    EXPECT_EQ(iso("Mon, 5 Oct 2026 10:00:00"), "2026-10-05T10:00:00Z");  // no zone: UTC
    for (const char* bad : {"<HR>", "", "31 Feb 2026 10:00:00 +0000", "5 Oct 2026 25:00:00 +0000", "5 Foo 2026 10:00 +0000",
                            "5 Oct 1013 10:00:00 +0000", "5 Oct 2026 10:00:00 +99"})
        EXPECT_EQ(iso(bad), "none") << bad;
    // 64 KiB of comments costs one pass.
    EXPECT_EQ(iso(std::string(65536, '(') + "x"), "none");
}

// Found by a hostile buyer: 1 Jan 1900 00:30 +0100 is a 1899 time in UTC. Stored, it could not
// be read back, and every command after it failed. The range holds for the time in UTC.
TEST(MailDates, AZoneThatShiftsADateOutOfTheSupportedYearsMakesItNoDate) {
    EXPECT_FALSE(fbtrack::parse_mail_date("Mon, 01 Jan 1900 00:30:00 +0100"));
    EXPECT_FALSE(fbtrack::parse_mail_date("Mon, 01 Jan 1900 00:00:00 +0900"));
    EXPECT_FALSE(fbtrack::parse_mail_date("Tue, 31 Dec 2199 23:00:00 -0500"));
    EXPECT_TRUE(fbtrack::parse_mail_date("Mon, 01 Jan 1900 00:00:00 +0000"));
    const auto utc = boost::local_time::time_zone_ptr(new boost::local_time::posix_time_zone("UTC0"));
    EXPECT_THROW(fbtrack::parse_timestamp("1900-01-01T00:00:00+09:00", utc), fbtrack::ValueError);
    EXPECT_THROW(fbtrack::parse_timestamp("2199-12-31T23:00:00-05:00", utc), fbtrack::ValueError);
    EXPECT_EQ(fbtrack::to_iso_utc(fbtrack::parse_timestamp("1900-01-01T09:00:00+09:00", utc)), "1900-01-01T00:00:00Z");
}

TEST(Months, AreTheirFirstAndLastDay) {
    using fbtrack::from_iso_date;
    EXPECT_EQ(fbtrack::month_range("2026-10"), std::make_pair(from_iso_date("2026-10-01"), from_iso_date("2026-10-31")));
    EXPECT_EQ(fbtrack::month_range("2028-02").second, from_iso_date("2028-02-29"));
    for (const char* bad : {"2026-1", "2026/10", "2026-10-01", "2026-13", ""}) EXPECT_THROW(fbtrack::month_range(bad), fbtrack::ValueError) << bad;
}
