// End-to-end: as of --today, nothing dated after it exists. A draft written as of a day never
// quotes a later shipment, a later message or a later rating.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

// In the sample month, the buyer of this order asked to ship faster on 2026-10-10 (JST), the
// seller declined that morning, and the order shipped on 2026-10-11 with this tracking number.
const std::string order = "503-2417785-6630118";
const std::string tracking = "5894-5030-5373";

class AsOfToday : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>();
        ASSERT_EQ(name_sample_shop(db()).exit_code, 0);
        const auto r = run_fbtrack({"--db", db().string(), "import", project_data_samples().string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static fs::path db() { return *dir_ / "fbtrack.db"; }

    RunResult fbtrack(const std::string& today, std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db().string(), "--today", today});
        return run_fbtrack(args);
    }
    Poco::JSON::Array::Ptr json_array(const std::string& today, const std::vector<std::string>& args) {
        const auto r = fbtrack(today, args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
    }

    static std::unique_ptr<TempDir> dir_;
};

std::unique_ptr<TempDir> AsOfToday::dir_;

TEST_F(AsOfToday, ARiskDraftPromisesTheShipByDateBeforeTheShipmentAndNamesItAfter) {
    const auto before = fbtrack("2026-10-09", {"risk"});
    ASSERT_EQ(before.exit_code, 0) << before.err;
    EXPECT_NE(before.out.find(order), std::string::npos) << before.out;
    EXPECT_EQ(before.out.find(tracking), std::string::npos) << "a later shipment is quoted: " << before.out;
    EXPECT_EQ(before.out.find("発送いたしました"), std::string::npos) << before.out;

    const auto after = fbtrack("2026-10-12", {"risk"});
    ASSERT_EQ(after.exit_code, 0) << after.err;
    EXPECT_NE(after.out.find(tracking), std::string::npos) << "the shipment is missing once it happened: " << after.out;
}

TEST_F(AsOfToday, MessagesAndRatingsAfterTheDayAreNotThereYet) {
    // 2026-10-09 in Japan ends at 15:00 UTC.
    const auto messages = json_array("2026-10-09", {"messages", "--json"});
    for (const auto& m : *messages) {
        const auto o = m.extract<Poco::JSON::Object::Ptr>();
        EXPECT_LT(o->getValue<std::string>("sent_at"), "2026-10-09T15:00:00Z");
        if (!o->isNull("replied_at")) {
            EXPECT_LT(o->getValue<std::string>("replied_at"), "2026-10-09T15:00:00Z");
        }
    }
    EXPECT_GT(json_array("2026-10-31", {"messages", "--json"})->size(), json_array("2026-10-09", {"messages", "--json"})->size());

    const auto later = json_array("2026-10-31", {"feedback", "--json"});
    const auto early = json_array("2026-10-09", {"feedback", "--json"});
    EXPECT_LT(early->size(), later->size());
    for (const auto& r : *early)
        EXPECT_LE(r.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("date"), "2026-10-09");
}

TEST_F(AsOfToday, AnAppealMarkedLaterIsNotYetSubmitted) {
    const auto mark = fbtrack("2026-10-20", {"appeal", order, "--mark", "submitted"});
    ASSERT_EQ(mark.exit_code, 0) << mark.err;
    const auto shown = [&](const std::string& today) {
        const auto ratings = json_array(today, {"feedback", "--json"});
        for (const auto& r : *ratings) {
            const auto o = r.extract<Poco::JSON::Object::Ptr>();
            if (o->getValue<std::string>("order_id") == order) return o->get("appeal").toString();
        }
        return std::string("(no rating)");
    };
    ASSERT_NE(shown("2026-10-19"), "(no rating)");
    EXPECT_EQ(shown("2026-10-19").find("2026-10-20"), std::string::npos) << shown("2026-10-19");
    EXPECT_NE(shown("2026-10-31").find("2026-10-20"), std::string::npos) << shown("2026-10-31");
}

}  // namespace
