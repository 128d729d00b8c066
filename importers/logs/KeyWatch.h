// Watches a stream fed in chunks for one byte string (a format's telltale key, such as "resourceSpans" with its
// quotes), however the chunks cut it: the last bytes seen are kept, so a key split across any number of
// chunks is still found.
#pragma once

#include <string>
#include <string_view>

namespace chainsight::importers {

class KeyWatch
{
public:
    explicit KeyWatch(std::string_view key) : m_key(key) {}
    // Returns seen().
    bool feed(std::string_view chunk)
    {
        if (m_seen) return true;
        m_window.append(chunk);
        m_seen = m_window.find(m_key) != std::string::npos;
        if (m_window.size() >= m_key.size()) m_window.erase(0, m_window.size() - (m_key.size() - 1));
        return m_seen;
    }
    bool seen() const { return m_seen; }

private:
    std::string m_key, m_window;
    bool m_seen = false;
};

} // namespace chainsight::importers
