// RFC 3339 timestamps as nanoseconds since the Unix epoch (UTC): parsing is strict, formatting is canonical.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chainsight {

// "2026-05-06T02:03:04.123456789Z" (an offset such as +02:00 is accepted and folded into UTC).
std::optional<int64_t> parseRfc3339(std::string_view s);
// Canonical UTC form; fractional digits only as many as needed (0, 3, 6 or 9).
std::string formatRfc3339(int64_t ns);

} // namespace chainsight
