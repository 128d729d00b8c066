// Inputs the fuzzers of tests/fuzz found, kept as regression tests once fixed.
#include "core/json/Json.h"
#include "core/model/Time.h"

#include <gtest/gtest.h>

using namespace chainsight;

// fuzz_json: "4e016" is a double; it was written back as 40000000000000000, an integer beyond 2^53-1 that
// the parser then refused (a value Chainsight accepted but could not read back once written).
TEST(FuzzRegression, LargeWholeDoublesDumpToJsonThatParsesBack)
{
    for (const char* text :
         {"4e016", "-4e16", "1e300", "[9007199254740993.0]", "{\"a\":1.8446744073709552e19}", "-0e2", "-0.0"}) {
        json::Parser p;
        auto v = p.parse(text);
        ASSERT_TRUE(v.ok()) << text;
        const std::string once = v->dump();
        auto again = p.parse(once);
        ASSERT_TRUE(again.ok()) << text << " dumped as " << once << ": " << again.error().toString().toStdString();
        EXPECT_EQ(again->dump(), once) << text;
    }
    // Whole doubles within 2^53 keep their short form.
    json::Parser p;
    EXPECT_EQ(p.parse("100.0")->dump(), "100");
}

// fuzz_event: a ts in the year 8026 overflowed the nanosecond count (undefined behaviour); times outside
// what an int64 of nanoseconds holds (1677-09-21 to 2262-04-11) are refused as not RFC 3339 times we hold.
TEST(FuzzRegression, TimesBeyondTheNanosecondRangeAreRefused)
{
    EXPECT_FALSE(parseRfc3339("8026-02-09T22:16:31.664Z").has_value());
    EXPECT_FALSE(parseRfc3339("1000-01-01T00:00:00Z").has_value());
    EXPECT_FALSE(parseRfc3339("2262-04-12T00:00:00Z").has_value());
    EXPECT_TRUE(parseRfc3339("2262-04-10T23:59:59Z").has_value());
    EXPECT_TRUE(parseRfc3339("1700-01-01T00:00:00Z").has_value());
    EXPECT_TRUE(parseRfc3339("2026-02-09T22:16:31.664Z").has_value());
}
