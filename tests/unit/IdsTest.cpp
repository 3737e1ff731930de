#include "text/Ids.h"

#include <gtest/gtest.h>

using namespace fbtrack;

TEST(OrderIds, AcceptsAmazonOrderIdsWithDigitOrLetterPrefix) {
    EXPECT_TRUE(is_order_id("250-7384857-6069418"));
    EXPECT_TRUE(is_order_id("S01-1234567-1234567"));
    EXPECT_TRUE(is_order_id("111-0000000-0000001"));
}

TEST(OrderIds, RejectsWrongShapes) {
    EXPECT_FALSE(is_order_id(""));
    EXPECT_FALSE(is_order_id("250-7384857-606941"));
    EXPECT_FALSE(is_order_id("250-7384857-60694189"));
    EXPECT_FALSE(is_order_id("250_7384857_6069418"));
    EXPECT_FALSE(is_order_id("25a-7384857-6069418"));
    EXPECT_FALSE(is_order_id("Order ID"));
}

TEST(ExcelDamage, RecognisesScientificNotation) {
    EXPECT_TRUE(looks_excel_mangled("5.80293E+13"));
    EXPECT_TRUE(looks_excel_mangled("5.8E+13"));
    EXPECT_TRUE(looks_excel_mangled("5e13"));
    EXPECT_FALSE(looks_excel_mangled("58029312345678"));
    EXPECT_FALSE(looks_excel_mangled("05802931234567"));
    EXPECT_FALSE(looks_excel_mangled("E+13"));
    EXPECT_FALSE(looks_excel_mangled("5.80293E+"));
}
