#include "core/model/Time.h"

#include <cstdio>

namespace chainsight {

namespace {
// Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool digits(std::string_view s, size_t pos, size_t n, int& out)
{
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
} // namespace

std::optional<int64_t> parseRfc3339(std::string_view s)
{
    int Y, M, D, h, m, sec;
    if (s.size() < 20) return std::nullopt;
    if (!digits(s, 0, 4, Y) || s[4] != '-' || !digits(s, 5, 2, M) || s[7] != '-' || !digits(s, 8, 2, D))
        return std::nullopt;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
    if (!digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, m) || s[16] != ':' || !digits(s, 17, 2, sec))
        return std::nullopt;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (M < 1 || M > 12 || D < 1) return std::nullopt;
    if (D > mdays[M - 1] + (M == 2 && isLeap(Y) ? 1 : 0)) return std::nullopt;
    if (h > 23 || m > 59 || sec > 60) return std::nullopt;
    size_t pos = 19;
    int64_t frac = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        size_t start = pos;
        int64_t scale = 100000000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (scale > 0) frac += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start || pos - start > 9) return std::nullopt;
    }
    if (pos >= s.size()) return std::nullopt;
    int64_t offsetSec = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
            return std::nullopt;
        if (oh > 23 || om > 59) return std::nullopt;
        offsetSec = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    if (sec == 60) sec = 59; // leap second: fold onto :59 (no leap table here)
    const int64_t days = daysFromCivil(Y, static_cast<unsigned>(M), static_cast<unsigned>(D));
    const int64_t secs = days * 86400 + h * 3600 + m * 60 + sec - offsetSec;
    // Times are nanoseconds in an int64: 1677-09-21 to 2262-04-11. Outside that, not a time we can hold.
    if (secs > 9223372035LL || secs < -9223372035LL) return std::nullopt;
    return secs * 1000000000LL + frac;
}

std::string formatRfc3339(int64_t ns)
{
    int64_t secs = ns / 1000000000LL;
    int64_t frac = ns % 1000000000LL;
    if (frac < 0) {
        frac += 1000000000LL;
        --secs;
    }
    int64_t days = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    int64_t y;
    unsigned mo, d;
    civilFromDays(days, y, mo, d);
    char buf[48];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y), mo, d,
                          static_cast<long long>(rem / 3600), static_cast<long long>((rem / 60) % 60),
                          static_cast<long long>(rem % 60));
    std::string out(buf, static_cast<size_t>(n));
    if (frac) {
        char fb[16];
        if (frac % 1000000 == 0)
            std::snprintf(fb, sizeof fb, ".%03lld", static_cast<long long>(frac / 1000000));
        else if (frac % 1000 == 0)
            std::snprintf(fb, sizeof fb, ".%06lld", static_cast<long long>(frac / 1000));
        else
            std::snprintf(fb, sizeof fb, ".%09lld", static_cast<long long>(frac));
        out += fb;
    }
    out += 'Z';
    return out;
}

} // namespace chainsight
