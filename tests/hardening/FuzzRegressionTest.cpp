// Inputs the fuzzers of tests/fuzz found, kept as regression tests once fixed.
#include "core/json/Json.h"
#include "core/model/Time.h"
#include "importers/transcript/TranscriptImporter.h"

#include <gtest/gtest.h>

#include <vector>

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

namespace {
// Decodes a transcript in one piece; the events' times, or the error.
struct Decoded
{
    std::vector<int64_t> times;
    std::string error;
};
Decoded decodeTranscript(const std::string& text)
{
    struct Sink : importers::LogSink
    {
        std::vector<int64_t>* times;
        void event(Event&& e) override { times->push_back(e.tsNs); }
        void decision(Decision&&) override {}
        void baseline(AgentBaseline&&) override {}
        void warning(std::string) override {}
    };
    Decoded out;
    Sink sink;
    sink.times = &out.times;
    auto d = importers::makeTranscriptDecoder(sink, "t");
    for (int pass = 0; pass < d->passes(); ++pass) {
        Status s = d->beginPass(pass);
        if (s) s = d->feed(text);
        if (s) s = d->endPass();
        if (!s) {
            out.error = s.error().toString().toStdString();
            return out;
        }
    }
    return out;
}
} // namespace

// fuzz_transcript_decode: a run "index" of 133333333 overflowed its synthetic clock (an hour per index, in
// nanoseconds: undefined behaviour). Past a million runs the hours now wrap. Numeric message times beyond what an
// int64 of nanoseconds holds are not taken as times, and untimed messages after the latest time a transcript can
// carry step a second each from it.
TEST(FuzzRegression, TranscriptRunIndexAndTimesStayInRange)
{
    constexpr int64_t kBase = 1704067200LL * 1000000000LL, kHour = 3600LL * 1000000000LL;
    const std::string huge = R"({"index":133333333,"messages":[{"role":"user","content":"sent"}]})"
                             "\n";
    auto r = decodeTranscript(huge);
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_FALSE(r.times.empty());
    EXPECT_EQ(r.times.front(), kBase + 333333 * kHour) << "133333333 wraps to slot 333333";

    // The largest index JSON holds exactly (2^53-1; beyond it the parser refuses the number).
    const std::string maxIndex = R"({"index":9007199254740991,"messages":[{"role":"user","content":"x"}]})"
                                 "\n";
    r = decodeTranscript(maxIndex);
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_FALSE(r.times.empty());
    EXPECT_GE(r.times.front(), kBase);

    // Numbers far beyond the range are no times (the message gets a synthetic one); 2262 is the end of the range.
    const std::string times =
        R"({"index":0,"messages":[{"role":"user","content":"a","timestamp":1e30},)"
        R"({"role":"user","content":"b","timestamp":9.9e16},)"
        R"({"role":"user","content":"c","timestamp":"2262-04-10T23:59:59.999999999Z"},)"
        R"({"role":"user","content":"d"},{"role":"user","content":"e"}]})"
        "\n";
    r = decodeTranscript(times);
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_GE(r.times.size(), 5u);
    EXPECT_EQ(r.times[0], kBase) << "1e30 is no time: the run's synthetic clock";
    EXPECT_EQ(r.times[1], kBase + 1000000000LL) << "9.9e16 read as µs would be 9.9e19 ns: no time either";
    // The latest time a transcript can carry (parseRfc3339 refuses 2262-04-11, the int64 limit's day); untimed
    // messages after it step a second each. (The guard that keeps that step within int64 needs some 85,000 untimed
    // messages after it in one run to matter: not exercised here.)
    const auto latest = parseRfc3339("2262-04-10T23:59:59.999999999Z");
    ASSERT_TRUE(latest.has_value());
    EXPECT_EQ(r.times[2], *latest);
    EXPECT_EQ(r.times[3], *latest + 1000000000LL);
    EXPECT_EQ(r.times[4], *latest + 2000000000LL);
}
