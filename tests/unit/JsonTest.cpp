// I-JSON (RFC 7493) semantics of the strict parser: refused, never resolved silently.
#include "core/json/Json.h"

#include <gtest/gtest.h>

using namespace chainsight;

TEST(Json, ParsesAndKeepsMemberOrder)
{
    json::Parser p;
    auto v = p.parse(R"({"b":1,"a":[true,null,"x",2.5],"c":{"d":"e"}})");
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(v->members().size(), 3u);
    EXPECT_EQ(v->members()[0].first, "b");
    EXPECT_EQ(v->find("a")->items()[2].asString(), "x");
    EXPECT_EQ(v->dump(), R"({"b":1,"a":[true,null,"x",2.5],"c":{"d":"e"}})");
}

TEST(Json, RefusesDuplicateKeysWithTheirPath)
{
    json::Parser p;
    auto v = p.parse(R"({"a":{"x":1,"x":2}})");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().field, "a/x");
    EXPECT_TRUE(v.error().message.contains("duplicate key"));
}

TEST(Json, RefusesDuplicateKeysInLargeObjects)
{
    std::string s = "{";
    for (int i = 0; i < 40; ++i) s += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    s += "\"k7\":0}";
    json::Parser p;
    auto v = p.parse(s);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().field, "k7");
}

TEST(Json, RefusesInvalidUtf8)
{
    json::Parser p;
    auto v = p.parse("{\"a\":\"\xff\xfe\"}");
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().message.contains("UTF-8"));
}

TEST(Json, RefusesLoneSurrogates)
{
    json::Parser p;
    EXPECT_FALSE(p.parse(R"({"a":"\ud800"})").ok());
    EXPECT_FALSE(p.parse(R"({"a":"\udc00"})").ok());
    EXPECT_FALSE(p.parse(R"({"a":"\ud800\u0041"})").ok());
    auto pair = p.parse(R"({"a":"\ud83d\ude00"})");
    ASSERT_TRUE(pair.ok());
    EXPECT_EQ(pair->str("a"), "\xF0\x9F\x98\x80");
}

TEST(Json, RefusesIntegersBeyondTwoToThe53)
{
    json::Parser p;
    EXPECT_TRUE(p.parse(R"({"a":9007199254740991})").ok());
    EXPECT_TRUE(p.parse(R"({"a":-9007199254740991})").ok());
    auto big = p.parse(R"({"a":9007199254740992})");
    ASSERT_FALSE(big.ok());
    EXPECT_TRUE(big.error().message.contains("2^53"));
    EXPECT_EQ(big.error().field, "a");
    EXPECT_FALSE(p.parse(R"({"a":-9007199254740992})").ok());
    EXPECT_FALSE(p.parse(R"({"a":18446744073709551615})").ok());
    EXPECT_FALSE(p.parse(R"({"a":123456789012345678901234567890})").ok());
    // Floats are not integers: 1e300 is a valid number.
    EXPECT_TRUE(p.parse(R"({"a":1e300})").ok());
}

TEST(Json, RefusesTrailingContentAndDeepNesting)
{
    json::Parser p;
    EXPECT_FALSE(p.parse(R"({"a":1} {"b":2})").ok());
    EXPECT_FALSE(p.parse(R"({"a":1)").ok());
    std::string deep(100, '[');
    deep += std::string(100, ']');
    auto v = p.parse(deep);
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().message.contains("nesting"));
}

TEST(Json, EscapesOnOutput)
{
    json::Value v = json::Value::object();
    v.set("s", json::Value::string("a\"b\\c\n\x01"));
    EXPECT_EQ(v.dump(), "{\"s\":\"a\\\"b\\\\c\\n\\u0001\"}");
}
