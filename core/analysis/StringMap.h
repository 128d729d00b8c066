// Private to core/analysis: a hash map from strings to values for the analysis's hot indexes (values by
// scope and atom, interned names, decisions by event). Open addressing over one array of (hash, index)
// slots; keys are copied once into an arena and looked up as string_views, so neither a lookup nor an
// insert allocates a node or a key string. The hash is seeded per process: a hostile case cannot pick
// keys that collide. Values live in a deque: a reference stays valid while other keys are inserted.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

namespace chainsight::analysis::detail {

inline uint64_t hashSeed()
{
    static const uint64_t seed = [] {
        std::random_device rd;
        return (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ 0x9E3779B97F4A7C15ull;
    }();
    return seed;
}

// Multiply-fold mixing over 8-byte words (in the manner of wyhash).
inline uint64_t hashString(std::string_view s, uint64_t seed = hashSeed())
{
    auto mix = [](uint64_t a, uint64_t b) {
        const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
        return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
    };
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = mix(seed ^ 0xA0761D6478BD642Full, n ^ 0xE7037ED1A0B428DBull);
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = mix(h ^ w, 0x8EBC6AF09C88C6E3ull);
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n) std::memcpy(&w, p, n);
    return mix(h ^ w, 0x589965CC75374CC3ull);
}

template <class V>
class StringMap
{
public:
    size_t size() const { return m_values.size(); }
    bool empty() const { return m_values.empty(); }

    V* find(std::string_view key) { return const_cast<V*>(std::as_const(*this).find(key)); }
    const V* find(std::string_view key) const
    {
        if (m_slots.empty()) return nullptr;
        const uint64_t h = hashString(key);
        for (size_t i = h & m_mask;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.index == kEmpty) return nullptr;
            if (s.hash == h && m_keys[s.index] == key) return &m_values[s.index];
        }
    }
    // The value of key, default-constructed if it is new; second: whether it is new.
    std::pair<V*, bool> tryEmplace(std::string_view key)
    {
        if ((m_values.size() + 1) * 4 > m_slots.size() * 3) grow();
        const uint64_t h = hashString(key);
        size_t i = h & m_mask;
        for (;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.index == kEmpty) break;
            if (s.hash == h && m_keys[s.index] == key) return {&m_values[s.index], false};
        }
        m_slots[i] = Slot{h, static_cast<uint32_t>(m_values.size())};
        m_keys.push_back(store(key));
        m_values.emplace_back();
        return {&m_values.back(), true};
    }
    V& operator[](std::string_view key) { return *tryEmplace(key).first; }

    // In insertion order.
    template <class Fn>
    void forEach(Fn&& fn) const
    {
        for (size_t i = 0; i < m_values.size(); ++i) fn(m_keys[i], m_values[i]);
    }

private:
    static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
    struct Slot
    {
        uint64_t hash = 0;
        uint32_t index = kEmpty;
    };

    void grow()
    {
        const size_t capacity = m_slots.empty() ? 16 : m_slots.size() * 2;
        std::vector<Slot> table(capacity); // not "slots": a Qt macro
        const size_t mask = capacity - 1;
        for (const Slot& s : m_slots) {
            if (s.index == kEmpty) continue;
            size_t i = s.hash & mask;
            while (table[i].index != kEmpty) i = (i + 1) & mask;
            table[i] = s;
        }
        m_slots = std::move(table);
        m_mask = mask;
    }

    std::string_view store(std::string_view key)
    {
        if (key.size() > m_chunkFree) {
            // Chunks grow with the map (a session's small map stays small), to 64 KiB.
            m_chunkSize = std::min<size_t>(64 * 1024, m_chunkSize ? m_chunkSize * 2 : 256);
            const size_t size = std::max(key.size(), m_chunkSize);
            m_chunks.push_back(std::unique_ptr<char[]>(new char[size]));
            m_chunkPos = m_chunks.back().get();
            m_chunkFree = size;
        }
        if (!key.empty()) std::memcpy(m_chunkPos, key.data(), key.size());
        std::string_view stored(m_chunkPos, key.size());
        m_chunkPos += key.size();
        m_chunkFree -= key.size();
        return stored;
    }

    std::vector<Slot> m_slots;
    size_t m_mask = 0;
    std::vector<std::string_view> m_keys; // by value index, into the chunks
    std::deque<V> m_values;
    std::vector<std::unique_ptr<char[]>> m_chunks;
    char* m_chunkPos = nullptr;
    size_t m_chunkFree = 0;
    size_t m_chunkSize = 0;
};

} // namespace chainsight::analysis::detail
