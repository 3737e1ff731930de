#include "analysis/ShopCalendar.h"
#include "catalogue/DataFiles.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

using fbtrack::test::shipped_data;
using namespace fbtrack;

namespace {
std::vector<std::string> dates_of(const std::vector<Holiday>& list) {
    std::vector<std::string> out;
    for (const auto& h : list) out.push_back(to_iso_date(h.date));
    return out;
}
std::string name_on(const std::vector<Holiday>& list, const std::string& date) {
    for (const auto& h : list)
        if (to_iso_date(h.date) == date) return h.name;
    return "";
}
}  // namespace

// The Cabinet Office's lists of 国民の祝日・休日.
TEST(JapaneseHolidays, Match2024) {
    const auto h = PublicHolidays::load(shipped_data(), "jp").of_year(2024);
    EXPECT_EQ(dates_of(h), (std::vector<std::string>{"2024-01-01", "2024-01-08", "2024-02-11", "2024-02-12", "2024-02-23",
                                                      "2024-03-20", "2024-04-29", "2024-05-03", "2024-05-04", "2024-05-05",
                                                      "2024-05-06", "2024-07-15", "2024-08-11", "2024-08-12", "2024-09-16",
                                                      "2024-09-22", "2024-09-23", "2024-10-14", "2024-11-03", "2024-11-04",
                                                      "2024-11-23"}));
}

TEST(JapaneseHolidays, Match2025) {
    const auto h = PublicHolidays::load(shipped_data(), "jp").of_year(2025);
    EXPECT_EQ(dates_of(h), (std::vector<std::string>{"2025-01-01", "2025-01-13", "2025-02-11", "2025-02-23", "2025-02-24",
                                                      "2025-03-20", "2025-04-29", "2025-05-03", "2025-05-04", "2025-05-05",
                                                      "2025-05-06", "2025-07-21", "2025-08-11", "2025-09-15", "2025-09-23",
                                                      "2025-10-13", "2025-11-03", "2025-11-23", "2025-11-24"}));
}

TEST(JapaneseHolidays, Match2026WithItsSubstituteAndCitizensHoliday) {
    const auto h = PublicHolidays::load(shipped_data(), "jp").of_year(2026);
    EXPECT_EQ(h.size(), 18u);
    EXPECT_EQ(dates_of(h), (std::vector<std::string>{"2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20",
                                                      "2026-04-29", "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06",
                                                      "2026-07-20", "2026-08-11", "2026-09-21", "2026-09-22", "2026-09-23",
                                                      "2026-10-12", "2026-11-03", "2026-11-23"}));
    EXPECT_EQ(name_on(h, "2026-05-06"), "振替休日");
    EXPECT_EQ(name_on(h, "2026-09-22"), "国民の休日");
    EXPECT_EQ(name_on(h, "2026-11-23"), "勤労感謝の日");
}

TEST(JapaneseHolidays, Match2027) {
    const auto h = PublicHolidays::load(shipped_data(), "jp").of_year(2027);
    EXPECT_EQ(dates_of(h), (std::vector<std::string>{"2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-21",
                                                      "2027-03-22", "2027-04-29", "2027-05-03", "2027-05-04", "2027-05-05",
                                                      "2027-07-19", "2027-08-11", "2027-09-20", "2027-09-23", "2027-10-11",
                                                      "2027-11-03", "2027-11-23"}));
}

TEST(JapaneseHolidays, HandleTheEdgeCasesOfTheLaw) {
    const auto jp = PublicHolidays::load(shipped_data(), "jp");
    // 2019: the enthronement made a ten-day Golden Week with two citizens' holidays.
    EXPECT_EQ(jp.name_of(from_iso_date("2019-04-30")), "国民の休日");
    EXPECT_EQ(jp.name_of(from_iso_date("2019-05-01")), "即位の日");
    EXPECT_EQ(jp.name_of(from_iso_date("2019-05-02")), "国民の休日");
    EXPECT_EQ(jp.name_of(from_iso_date("2019-05-06")), "振替休日");
    // From 2007 a Sunday holiday moves to the next day that is no holiday: 2008-05-06 (Tue).
    EXPECT_EQ(jp.name_of(from_iso_date("2008-05-06")), "振替休日");
    // Before 2007 it moved to the Monday: みどりの日 1990-04-29 was a Sunday.
    EXPECT_EQ(jp.name_of(from_iso_date("1990-04-30")), "振替休日");
    EXPECT_EQ(jp.name_of(from_iso_date("1990-05-06")), "");  // a plain Sunday
    // The Olympic years moved 海の日, スポーツの日 and 山の日.
    EXPECT_EQ(jp.name_of(from_iso_date("2020-07-24")), "スポーツの日");
    EXPECT_EQ(jp.name_of(from_iso_date("2021-08-09")), "振替休日");
    EXPECT_EQ(jp.name_of(from_iso_date("2020-08-11")), "");
    // The emperor's birthday moved with the era; 2019 had none.
    EXPECT_EQ(jp.name_of(from_iso_date("1988-04-29")), "天皇誕生日");
    EXPECT_EQ(jp.name_of(from_iso_date("2018-12-23")), "天皇誕生日");
    EXPECT_EQ(jp.name_of(from_iso_date("2019-12-23")), "");
    EXPECT_EQ(jp.name_of(from_iso_date("2019-02-23")), "");
    // The equinox formula across the range.
    EXPECT_EQ(PublicHolidays::spring_equinox_day(1980), 20);
    EXPECT_EQ(PublicHolidays::autumn_equinox_day(1980), 23);
    EXPECT_EQ(PublicHolidays::spring_equinox_day(2099), 20);
    EXPECT_EQ(PublicHolidays::autumn_equinox_day(2012), 22);
}

TEST(UsHolidays, MoveWeekendHolidaysToTheObservedDay) {
    const auto us = PublicHolidays::load(shipped_data(), "us");
    const auto h2026 = us.of_year(2026);
    EXPECT_EQ(h2026.size(), 11u);
    EXPECT_EQ(name_on(h2026, "2026-07-03"), "Independence Day (observed)");
    EXPECT_EQ(name_on(h2026, "2026-11-26"), "Thanksgiving Day");
    EXPECT_EQ(name_on(h2026, "2026-05-25"), "Memorial Day");
    const auto h2021 = us.of_year(2021);
    EXPECT_EQ(name_on(h2021, "2021-06-18"), "Juneteenth National Independence Day (observed)");
    EXPECT_EQ(name_on(h2021, "2021-12-31"), "New Year's Day (observed)");  // for 2022-01-01, a Saturday
    EXPECT_EQ(us.of_year(2022).front().date, from_iso_date("2022-01-17"));  // MLK; New Year's was observed in 2021
}

namespace {
class Calendar : public ::testing::Test {
protected:
    Calendar() : data_(shipped_data()), jp_(load_marketplace(data_, "jp")) {
        shop_.closed_weekdays = {"sunday"};
        shop_.closed_ranges = {{"2026-12-29", "2027-01-04", "年末年始"}};
        shop_.holidays_closed = true;
        shop_.handling_days = 2;
    }
    const Catalogue& data_;
    Marketplace jp_;
    ShopSettings shop_;
};
}  // namespace

TEST_F(Calendar, ASaturdayOrderBeforeAClosedSundayAndAHolidayMondayShipsWednesday) {
    const ShopCalendar c(shop_, jp_, data_, "ja");
    const Date saturday = from_iso_date("2026-11-21");
    EXPECT_TRUE(c.is_open(saturday));
    EXPECT_FALSE(c.is_open(from_iso_date("2026-11-22")));
    EXPECT_FALSE(c.is_open(from_iso_date("2026-11-23")));
    EXPECT_EQ(to_iso_date(c.estimated_ship_by(saturday)), "2026-11-25");
    const auto stretches = c.closed_stretches(saturday, from_iso_date("2026-11-25"));
    ASSERT_EQ(stretches.size(), 1u);
    EXPECT_EQ(to_iso_date(stretches[0].first), "2026-11-22");
    EXPECT_EQ(to_iso_date(stretches[0].last), "2026-11-23");
}

TEST_F(Calendar, AClosedRangeAcrossTheYearEnd) {
    const ShopCalendar c(shop_, jp_, data_, "ja");
    for (const char* d : {"2026-12-29", "2026-12-31", "2027-01-01", "2027-01-04"}) EXPECT_FALSE(c.is_open(from_iso_date(d))) << d;
    EXPECT_TRUE(c.is_open(from_iso_date("2027-01-05")));
    EXPECT_EQ(to_iso_date(c.estimated_ship_by(from_iso_date("2026-12-28"))), "2027-01-06");
    const auto day = c.closed(from_iso_date("2027-01-01"));
    ASSERT_TRUE(day);
    EXPECT_EQ(day->holiday, "元日");
    EXPECT_EQ(day->kinds, (std::vector<std::string>{"holiday", "range"}));
    const auto stretches = c.closed_stretches(from_iso_date("2026-12-28"), from_iso_date("2027-01-06"));
    ASSERT_EQ(stretches.size(), 1u);
    EXPECT_EQ(to_iso_date(stretches[0].first), "2026-12-29");
    EXPECT_EQ(to_iso_date(stretches[0].last), "2027-01-04");
}

TEST_F(Calendar, HolidaysCanBeWorkingDays) {
    shop_.holidays_closed = false;
    const ShopCalendar c(shop_, jp_, data_, "en");
    EXPECT_TRUE(c.is_open(from_iso_date("2026-11-23")));
    EXPECT_EQ(to_iso_date(c.estimated_ship_by(from_iso_date("2026-11-21"))), "2026-11-24");
}

TEST_F(Calendar, WorkingHoursSkipNightsAndClosedDays) {
    const ShopCalendar c(shop_, jp_, data_, "ja");
    // Saturday 17:00 JST to Tuesday 10:00 JST: 1 h on Saturday, Sunday and the holiday closed, 1 h on Tuesday.
    const auto from = from_iso_utc("2026-11-21T08:00:00Z"), to = from_iso_utc("2026-11-24T01:00:00Z");
    EXPECT_DOUBLE_EQ(c.working_hours_between(from, to), 2.0);
    EXPECT_DOUBLE_EQ(c.working_hours_between(to, from), 0.0);
}
