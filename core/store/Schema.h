// The case file's schema: ordered migrations keyed by PRAGMA user_version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chainsight::store {

// 'CHNS': written to PRAGMA application_id so a case is recognised (and a foreign SQLite file refused).
constexpr int kApplicationId = 0x43484E53;

struct Migration
{
    int version;          // the user_version after this step
    std::string sql; // applied in one transaction with the version bump
};

const std::vector<Migration>& migrations();
int latestSchemaVersion();
std::string_view eventIndexesSql();
std::string_view dropEventIndexesSql();

} // namespace chainsight::store
