#include "store/FeedbackTables.h"

#include "store/Columns.h"

namespace fbtrack {

using sql::bind_value;
using sql::column_value;
using Value = sql::Value;
using Values = sql::Values;

namespace {

const std::vector<std::string> feedback_columns = {"rated_on", "rating", "comment", "response"};

}  // namespace

RowOutcome FeedbackTables::upsert(const FeedbackEntry& f) {
    const Values incoming = {f.rated_on, std::to_string(f.rating), f.comment, f.response};
    // A buyer may revise a rating; the report downloaded later holds the current one.
    return database_.upsert_row({"feedback", {{"order_id", f.order_id}}}, feedback_columns, incoming,
                                [&](const Values&) { return incoming; });
}

namespace {
Rating rating_of(SQLite::Statement& s) {
    return Rating{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt(),
                  s.getColumn(3).getString(), column_value(s, 4)};
}
}  // namespace

std::vector<Rating> FeedbackTables::ratings(const std::optional<std::string>& from, const std::optional<std::string>& to) {
    auto& s = database_.statement(
        "SELECT order_id, rated_on, rating, comment, response FROM feedback WHERE rating <= 3 "
        "AND rated_on >= coalesce(?, '0000') AND rated_on <= coalesce(?, '9999') AND rated_on <= ? "
        "ORDER BY rated_on, order_id");
    bind_value(s, 1, from);
    bind_value(s, 2, to);
    s.bind(3, database_.as_of().date);
    std::vector<Rating> out;
    while (s.executeStep()) out.push_back(rating_of(s));
    s.reset();
    return out;
}

std::optional<Rating> FeedbackTables::rating(const std::string& order_id) {
    auto& s = database_.statement("SELECT order_id, rated_on, rating, comment, response FROM feedback WHERE order_id = ? AND rated_on <= ?");
    s.bind(1, order_id);
    s.bind(2, database_.as_of().date);
    std::optional<Rating> found;
    if (s.executeStep()) found = rating_of(s);
    s.reset();
    return found;
}

std::vector<RatedOrder> FeedbackTables::rated_orders() {
    auto& s = database_.statement(
        "SELECT f.order_id, f.rated_on, f.rating, o.purchased_at FROM feedback f LEFT JOIN orders o USING (order_id) "
        "WHERE f.rated_on <= ? ORDER BY f.rated_on");
    s.bind(1, database_.as_of().date);
    std::vector<RatedOrder> out;
    while (s.executeStep())
        out.push_back(RatedOrder{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt(),
                                 column_value(s, 3)});
    s.reset();
    return out;
}

std::array<std::int64_t, 6> FeedbackTables::count_ratings(const std::string& from, const std::string& to) {
    auto& s = database_.statement(
        "SELECT rating, count(*) FROM feedback WHERE rated_on >= ? AND rated_on <= ? AND rated_on <= ? GROUP BY rating");
    s.bind(1, from);
    s.bind(2, to);
    s.bind(3, database_.as_of().date);
    std::array<std::int64_t, 6> out{};
    while (s.executeStep()) {
        const int stars = s.getColumn(0).getInt();
        if (stars >= 1 && stars <= 5) out[static_cast<std::size_t>(stars)] = s.getColumn(1).getInt64();
    }
    s.reset();
    return out;
}

std::map<std::string, std::int64_t> FeedbackTables::count_negative_by_month(const std::string& from, const std::string& to) {
    auto& s = database_.statement(
        "SELECT substr(rated_on, 1, 7), count(*) FROM feedback WHERE rating <= 2 AND rated_on >= ? AND rated_on <= ? "
        "AND rated_on <= ? GROUP BY 1");
    s.bind(1, from);
    s.bind(2, to);
    s.bind(3, database_.as_of().date);
    std::map<std::string, std::int64_t> out;
    while (s.executeStep()) out[s.getColumn(0).getString()] = s.getColumn(1).getInt64();
    s.reset();
    return out;
}

std::vector<std::string> FeedbackTables::negative_purchase_times(const std::string& from_utc, const std::string& to_utc) {
    // From the ratings to their orders: a shop has far fewer bad ratings than orders in a year. The
    // ratings are read in key order (+ keeps the date index out), so their orders are too.
    return database_.texts_of(
        "SELECT o.purchased_at FROM feedback f CROSS JOIN orders o ON o.order_id = f.order_id "
        "WHERE f.rating <= 2 AND +f.rated_on <= ? AND o.purchased_at >= ? AND o.purchased_at < ? ORDER BY 1",
        {database_.as_of().date, from_utc, to_utc});
}

namespace {
// An appeal submitted or decided after the cut-off (?1) was not yet.
constexpr const char* outcome_columns =
    "order_id, CASE WHEN submitted_on > ?1 THEN NULL ELSE submitted_on END, "
    "CASE WHEN decided_on > ?1 THEN NULL ELSE outcome END, CASE WHEN decided_on > ?1 THEN NULL ELSE decided_on END";

AppealOutcome outcome_of(SQLite::Statement& s) {
    return AppealOutcome{s.getColumn(0).getString(), column_value(s, 1), column_value(s, 2), column_value(s, 3)};
}
}  // namespace

std::optional<AppealOutcome> FeedbackTables::appeal_outcome(const std::string& order_id) {
    auto& s = database_.statement(std::string("SELECT ") + outcome_columns + " FROM appeal_outcomes WHERE order_id = ?2");
    s.bind(1, database_.as_of().date);
    s.bind(2, order_id);
    std::optional<AppealOutcome> found;
    if (s.executeStep()) found = outcome_of(s);
    s.reset();
    return found;
}

std::vector<AppealOutcome> FeedbackTables::appeal_outcomes() {
    auto& s = database_.statement(std::string("SELECT ") + outcome_columns + " FROM appeal_outcomes ORDER BY order_id");
    s.bind(1, database_.as_of().date);
    std::vector<AppealOutcome> out;
    while (s.executeStep()) out.push_back(outcome_of(s));
    s.reset();
    return out;
}

void FeedbackTables::mark_appeal(const std::string& order_id, const std::string& mark, const std::string& on) {
    database_.before_writing();
    if (mark == "not_submitted") {  // taken back: a click on the wrong status
        auto& s = database_.statement("DELETE FROM appeal_outcomes WHERE order_id = ?");
        s.bind(1, order_id);
        s.exec();
        return;
    }
    if (mark == "submitted") {
        // Submitted (again, after a refusal): whatever Amazon decided before no longer stands.
        auto& s = database_.statement(
            "INSERT INTO appeal_outcomes(order_id, submitted_on) VALUES(?, ?) "
            "ON CONFLICT(order_id) DO UPDATE SET submitted_on = excluded.submitted_on, outcome = NULL, decided_on = NULL");
        s.bind(1, order_id);
        s.bind(2, on);
        s.exec();
        return;
    }
    auto& s = database_.statement(
        "INSERT INTO appeal_outcomes(order_id, outcome, decided_on) VALUES(?, ?, ?) "
        "ON CONFLICT(order_id) DO UPDATE SET outcome = excluded.outcome, decided_on = excluded.decided_on");
    s.bind(1, order_id);
    s.bind(2, mark);
    s.bind(3, on);
    s.exec();
}

}  // namespace fbtrack
