#include "text/Dates.h"

#include "core/Errors.h"

#include <boost/date_time/local_time/local_time.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

namespace fbtrack {

namespace {

using boost::posix_time::time_duration;

// Reads digits at `pos`; `min`..`max` of them. Advances pos.
bool digits(std::string_view s, std::size_t& pos, int min, int max, int& value) {
    int n = 0;
    value = 0;
    while (pos < s.size() && n < max && s[pos] >= '0' && s[pos] <= '9') {
        value = value * 10 + (s[pos] - '0');
        ++pos;
        ++n;
    }
    return n >= min;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

Date make_date(int y, int m, int d, std::string_view text, const char* expected) {
    if (y < first_supported_year || y > last_supported_year)
        throw ValueError(std::string(text), say("expected.date_in_range", {{"form", expected}}), say("hint.date_edited"));
    try {
        return Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
                    static_cast<unsigned short>(d));
    } catch (const std::exception&) {
        throw ValueError(std::string(text), say("expected.real_date", {{"form", expected}}), say("hint.no_such_date"));
    }
}

struct Parsed {
    Date date;
    bool has_time = false;
    time_duration time_of_day;
    bool has_offset = false;
    time_duration offset;  // local = UTC + offset
};

const char* const timestamp_forms =
    "a date and time such as 2023-04-10T21:33:51+09:00, 2023-04-10T12:33:51Z or 2023/04/10 21:33";

Parsed parse_general(std::string_view text) {
    const std::string_view s = text;
    std::size_t p = 0;
    int y, mo, d;
    if (!digits(s, p, 4, 4, y)) throw ValueError(std::string(text), timestamp_forms);
    char sep = p < s.size() ? s[p] : '\0';
    if (sep != '-' && sep != '/') throw ValueError(std::string(text), timestamp_forms);
    ++p;
    if (!digits(s, p, 1, 2, mo) || !expect(s, p, sep) || !digits(s, p, 1, 2, d))
        throw ValueError(std::string(text), timestamp_forms);
    Parsed r;
    r.date = make_date(y, mo, d, text, "yyyy-mm-dd");
    if (p == s.size()) return r;
    if (s[p] != 'T' && s[p] != ' ') throw ValueError(std::string(text), timestamp_forms);
    ++p;
    int h, mi, sec = 0;
    if (!digits(s, p, 1, 2, h) || !expect(s, p, ':') || !digits(s, p, 2, 2, mi))
        throw ValueError(std::string(text), timestamp_forms);
    if (expect(s, p, ':')) {
        if (!digits(s, p, 2, 2, sec)) throw ValueError(std::string(text), timestamp_forms);
        if (expect(s, p, '.') || expect(s, p, ',')) {
            int frac;
            if (!digits(s, p, 1, 9, frac)) throw ValueError(std::string(text), timestamp_forms);
        }
    }
    if (h > 23 || mi > 59 || sec > 60)
        throw ValueError(std::string(text), say("expected.time_of_day"));
    r.has_time = true;
    r.time_of_day = time_duration(h, mi, sec > 59 ? 59 : sec);
    while (p < s.size() && s[p] == ' ') ++p;
    if (p == s.size()) return r;
    if (s[p] == 'Z' || s[p] == 'z') {
        ++p;
        r.has_offset = true;
        r.offset = time_duration(0, 0, 0);
    } else if (s[p] == '+' || s[p] == '-') {
        const bool negative = s[p] == '-';
        ++p;
        int oh, om = 0;
        if (!digits(s, p, 2, 2, oh)) throw ValueError(std::string(text), timestamp_forms);
        if (expect(s, p, ':')) {
            if (!digits(s, p, 2, 2, om)) throw ValueError(std::string(text), timestamp_forms);
        } else {
            digits(s, p, 0, 2, om);
        }
        if (oh > 14 || om > 59) throw ValueError(std::string(text), say("expected.utc_offset"));
        r.has_offset = true;
        r.offset = time_duration(oh, om, 0);
        if (negative) r.offset = -r.offset;
    } else if (s.substr(p) == "JST") {  // some tools append the zone name
        p += 3;
        r.has_offset = true;
        r.offset = time_duration(9, 0, 0);
    }
    if (p != s.size()) throw ValueError(std::string(text), timestamp_forms);
    return r;
}

}  // namespace

UtcTime utc_of_local(const Date& d, const time_duration& time_of_day,
                     const boost::local_time::time_zone_ptr& zone) {
    using namespace boost::local_time;
    // For the hour a DST change skips or repeats, take the standard-time reading.
    local_date_time ldt(d, time_of_day, zone, local_date_time::NOT_DATE_TIME_ON_ERROR);
    if (ldt.is_not_a_date_time()) return UtcTime(d, time_of_day) - zone->base_utc_offset();
    return ldt.utc_time();
}

bool is_supported(const UtcTime& t) {
    return !t.is_special() && t.date().year() >= first_supported_year && t.date().year() <= last_supported_year;
}

UtcTime parse_timestamp(std::string_view text, const boost::local_time::time_zone_ptr& zone) {
    const Parsed p = parse_general(text);
    const UtcTime local(p.date, p.has_time ? p.time_of_day : time_duration(0, 0, 0));
    const UtcTime utc = p.has_offset ? local - p.offset
                                     : utc_of_local(p.date, p.has_time ? p.time_of_day : time_duration(0, 0, 0), zone);
    if (!is_supported(utc))
        throw ValueError(std::string(text), say("expected.time_in_range", {{"forms", timestamp_forms}}), say("hint.date_edited"));
    return utc;
}

std::string to_local_minutes(const UtcTime& t, const boost::local_time::time_zone_ptr& zone) {
    const auto local = boost::local_time::local_date_time(t, zone).local_time();
    char buf[64];
    std::snprintf(buf, sizeof buf, " %02d:%02d", static_cast<int>(local.time_of_day().hours()),
                  static_cast<int>(local.time_of_day().minutes()));
    return to_iso_date(local.date()) + buf;
}

Date local_date_of(const UtcTime& t, const boost::local_time::time_zone_ptr& zone) {
    return boost::local_time::local_date_time(t, zone).local_time().date();
}

Date parse_local_date(std::string_view text, const boost::local_time::time_zone_ptr& zone) {
    const Parsed p = parse_general(text);
    if (!p.has_time || !p.has_offset) return p.date;
    return local_date_of(UtcTime(p.date, p.time_of_day) - p.offset, zone);
}

Date parse_feedback_date(std::string_view text, DateOrder order) {
    std::vector<int> parts;
    std::vector<int> widths;
    std::size_t p = 0;
    for (;;) {
        int v;
        const std::size_t start = p;
        if (!digits(text, p, 1, 4, v)) break;
        parts.push_back(v);
        widths.push_back(static_cast<int>(p - start));
        if (!expect(text, p, '/') && !expect(text, p, '-')) break;
    }
    const char* expected = order == DateOrder::year_month_day ? "a feedback date such as 23/4/10 or 2023/4/10 (year first)"
                                                               : "a feedback date such as 4/10/23 or 4/10/2023 (month first)";
    if (parts.size() != 3 || p != text.size()) throw ValueError(std::string(text), expected);
    int y, m, d;
    if (order == DateOrder::year_month_day) {
        if (widths[0] != 2 && widths[0] != 4) throw ValueError(std::string(text), expected);
        y = parts[0], m = parts[1], d = parts[2];
        if (widths[0] == 2) y += 2000;
    } else {
        if (widths[2] != 2 && widths[2] != 4) throw ValueError(std::string(text), expected);
        m = parts[0], d = parts[1], y = parts[2];
        if (widths[2] == 2) y += 2000;
    }
    return make_date(y, m, d, text, expected);
}

namespace {
// Writes n as `width` digits, most significant first.
char* put_digits(char* out, int n, int width) {
    for (int i = width - 1; i >= 0; --i, n /= 10) out[i] = static_cast<char>('0' + n % 10);
    return out + width;
}
}  // namespace

std::string to_iso_utc(const UtcTime& t) {
    const auto d = t.date();
    const auto tod = t.time_of_day();
    const int year = static_cast<int>(d.year());
    if (year >= 0 && year <= 9999 && !tod.is_negative() && tod.hours() < 24) {
        // Two of these per order row: without printf's format parsing.
        std::string out(20, '\0');
        char* p = put_digits(out.data(), year, 4);
        *p++ = '-';
        p = put_digits(p, static_cast<int>(d.month()), 2);
        *p++ = '-';
        p = put_digits(p, static_cast<int>(d.day()), 2);
        *p++ = 'T';
        p = put_digits(p, static_cast<int>(tod.hours()), 2);
        *p++ = ':';
        p = put_digits(p, static_cast<int>(tod.minutes()), 2);
        *p++ = ':';
        p = put_digits(p, static_cast<int>(tod.seconds()), 2);
        *p = 'Z';
        return out;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(d.year()),
                  static_cast<int>(d.month()), static_cast<int>(d.day()), static_cast<int>(tod.hours()),
                  static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()));
    return buf;
}

std::string to_iso_date(const Date& d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), static_cast<int>(d.month()),
                  static_cast<int>(d.day()));
    return buf;
}

std::string date_text(const std::optional<Date>& d) { return d ? to_iso_date(*d) : std::string(); }

std::string format_one_decimal(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

UtcTime from_iso_utc(std::string_view text) {
    const Parsed p = parse_general(text);
    return UtcTime(p.date, p.time_of_day) - p.offset;
}

Date from_iso_date(std::string_view text) { return parse_general(text).date; }

std::pair<Date, Date> month_range(std::string_view month) {
    if (month.size() != 7 || month[4] != '-') throw ValueError(std::string(month), "YYYY-MM");
    const Date first = from_iso_date(std::string(month) + "-01");
    return {first, first.end_of_month()};
}

namespace {

// Comments out, every run of white space (line breaks of a folded header too) one space.
std::string mail_date_words(std::string_view text) {
    std::string out;
    int depth = 0;
    for (char c : text) {
        if (c == '(') ++depth;
        else if (c == ')' && depth > 0) --depth;
        else if (depth > 0) continue;
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
        if (out.size() > 200) break;  // no date is longer
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::optional<int> number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
    if (s.size() < min_digits || s.size() > max_digits) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<int> month_of(std::string_view s) {
    static const char* const names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s.size() < 3) return std::nullopt;
    std::string lower(s.substr(0, 3));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int m = 0; m < 12; ++m)
        if (lower == names[m]) return m + 1;
    return std::nullopt;
}

// Minutes east of UTC.
std::optional<int> zone_of(std::string_view s) {
    if (s.size() == 5 && (s[0] == '+' || s[0] == '-')) {
        const auto hh = number(s.substr(1, 2), 2, 2), mm = number(s.substr(3, 2), 2, 2);
        if (!hh || !mm || *mm > 59) return std::nullopt;
        return (s[0] == '-' ? -1 : 1) * (*hh * 60 + *mm);
    }
    std::string upper(s);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::pair<const char*, int> names[] = {
        {"UT", 0},          {"UTC", 0},         {"GMT", 0},         {"Z", 0},           {"EST", -5 * 60},
        {"EDT", -4 * 60},   {"CST", -6 * 60},   {"CDT", -5 * 60},   {"MST", -7 * 60},   {"MDT", -6 * 60},
        {"PST", -8 * 60},   {"PDT", -7 * 60},   {"JST", 9 * 60},    {"KST", 9 * 60},    {"CET", 60},
        {"CEST", 120},      {"BST", 60}};
    for (const auto& [name, minutes] : names)
        if (upper == name) return minutes;
    // RFC 5322: other obsolete (military) zones are to be read as UTC.
    if (upper.size() == 1 && upper[0] >= 'A' && upper[0] <= 'Z' && upper[0] != 'J') return 0;
    return std::nullopt;
}

}  // namespace

std::optional<UtcTime> parse_mail_date(std::string_view text) {
    const std::string words = mail_date_words(text);
    std::vector<std::string_view> w;
    for (std::size_t pos = 0; pos < words.size();) {
        std::size_t end = words.find(' ', pos);
        if (end == std::string::npos) end = words.size();
        w.push_back(std::string_view(words).substr(pos, end - pos));
        pos = end + 1;
    }
    std::size_t i = 0;
    // "Thu," or "Thu ,": the weekday is optional and says nothing the date does not.
    if (i < w.size() && !w[i].empty() && std::isalpha(static_cast<unsigned char>(w[i][0]))) {
        const bool comma = w[i].back() == ',';
        ++i;
        if (!comma && i < w.size() && w[i] == ",") ++i;
    }
    if (w.size() < i + 4) return std::nullopt;
    const auto day = number(w[i], 1, 2);
    const auto month = month_of(w[i + 1]);
    auto year = number(w[i + 2], 2, 4);
    if (!day || !month || !year) return std::nullopt;
    if (w[i + 2].size() == 2) *year += *year < 50 ? 2000 : 1900;
    else if (w[i + 2].size() == 3) *year += 1900;
    const std::string_view clock = w[i + 3];
    const auto c1 = clock.find(':');
    if (c1 == std::string_view::npos) return std::nullopt;
    const auto c2 = clock.find(':', c1 + 1);
    const auto hour = number(clock.substr(0, c1), 1, 2);
    const auto minute = number(clock.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1), 2, 2);
    const auto second = c2 == std::string_view::npos ? std::optional<int>(0) : number(clock.substr(c2 + 1), 2, 2);
    if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    // A missing zone is read as UTC, as mail clients do.
    const auto zone = w.size() > i + 4 ? zone_of(w[i + 4]) : std::optional<int>(0);
    if (!zone) return std::nullopt;
    if (*year < first_supported_year || *year > last_supported_year) return std::nullopt;
    try {
        const Date date(static_cast<unsigned short>(*year), static_cast<unsigned short>(*month),
                        static_cast<unsigned short>(*day));
        const UtcTime utc = UtcTime(date, boost::posix_time::time_duration(*hour, *minute, std::min(*second, 59))) -
                            boost::posix_time::minutes(*zone);
        // In range once in UTC: 1 Jan 1900 00:30 +0100 is a 1899 time no stored date may be.
        if (!is_supported(utc)) return std::nullopt;
        return utc;
    } catch (const std::out_of_range&) {
        return std::nullopt;  // 31 Feb
    }
}

}  // namespace fbtrack
