// The analysis's string-keyed hash map (core/analysis/StringMap.h): a hand-written container, so its
// contract is checked against std::unordered_map on many keys, including the awkward ones.
#include "core/analysis/StringMap.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace chainsight::analysis::detail {
namespace {

TEST(StringMap, AgreesWithUnorderedMapAndKeepsReferences)
{
    StringMap<int> map;
    std::unordered_map<std::string, int> reference;
    EXPECT_EQ(map.find("absent"), nullptr); // empty: no table yet

    // awkward keys: empty, embedded NUL, long (several chunks), shared prefixes, lengths around 8-byte words
    std::vector<std::string> keys = {"", std::string("a\0b", 3), std::string("a\0c", 3), std::string(100000, 'x')};
    for (int i = 0; i < 50000; ++i) keys.push_back("S\x01\x02\x03\x04" + std::to_string(i) + std::string(static_cast<size_t>(i % 17), 'k'));
    int* first = nullptr;
    for (size_t i = 0; i < keys.size(); ++i) {
        auto [value, fresh] = map.tryEmplace(keys[i]);
        const bool expectFresh = reference.emplace(keys[i], static_cast<int>(i)).second;
        ASSERT_EQ(fresh, expectFresh) << i;
        if (fresh) *value = static_cast<int>(i);
        if (i == 0) first = value;
    }
    EXPECT_EQ(map.size(), reference.size());
    EXPECT_EQ(first, map.find("")); // growth moved no value
    for (const auto& [key, value] : reference) {
        const int* found = map.find(key);
        ASSERT_NE(found, nullptr) << key.substr(0, 20);
        EXPECT_EQ(*found, value);
    }
    EXPECT_EQ(map.find(std::string("a\0d", 3)), nullptr);
    EXPECT_EQ(map.find("S\x01\x02\x03\x04" "50000"), nullptr);
    map["again"] = 7;
    EXPECT_EQ(map["again"], 7);
    EXPECT_FALSE(map.tryEmplace("again").second);

    size_t visited = 0;
    map.forEach([&](std::string_view key, const int& value) {
        ++visited;
        auto it = reference.find(std::string(key));
        if (it != reference.end()) {
            EXPECT_EQ(it->second, value);
        }
    });
    EXPECT_EQ(visited, map.size());
}

TEST(StringMap, HashDependsOnEveryByteAndTheSeed)
{
    const std::string base = "0123456789abcdefghij"; // longer than two 8-byte words
    for (size_t i = 0; i < base.size(); ++i) {
        std::string flipped = base;
        flipped[i] ^= 1;
        EXPECT_NE(hashString(base), hashString(flipped)) << i;
    }
    EXPECT_NE(hashString(base, 1), hashString(base, 2));
    EXPECT_NE(hashString(std::string("ab", 2)), hashString(std::string("ab\0", 3))); // length counts
}

} // namespace
} // namespace chainsight::analysis::detail
