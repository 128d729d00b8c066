// Streams the items of large JSON log documents ({"Records":[...]}, OTLP resourceSpans/scopeSpans/spans) without
// holding the document: the skeleton leading to the items is walked here, and each item (a span, a record) is
// handed out as its own JSON text, with its line and JSON path, for the strict parser. Every other value is
// parsed strictly too, so the whole input is checked as I-JSON. One or more top-level documents may follow one
// another (JSON Lines, as the OpenTelemetry collector's file exporter writes them).
//
// Integers beyond 2^53-1 inside an item (OTLP times in nanoseconds written as bare numbers) are handed out
// quoted, digits unchanged, so nothing is rounded and the strict parser does not refuse them; the decoders
// accept int64 fields as strings, which is the proto3 JSON form anyway.
#pragma once

#include "core/Result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace chainsight::importers {

class JsonItemStream
{
public:
    struct Item
    {
        int route = 0;                 // index into the routes given
        std::string_view text;         // the item's JSON text
        int64_t line = 0;              // 1-based line where it starts
        int64_t document = 0;          // 0-based top-level document
        const std::vector<int64_t>* indices = nullptr; // array indices along the route
        std::string path;              // JSON path in its document ("Records/12")
    };
    using Sink = std::function<Status(const Item&)>;

    struct Limits
    {
        size_t maxItemBytes = 64u << 20;
        size_t maxDepth = 256;
    };

    // A route is a sequence of object keys and "*" (any array element), from the top of each document.
    JsonItemStream(std::vector<std::vector<std::string>> routes, Sink sink, Limits limits);
    JsonItemStream(std::vector<std::vector<std::string>> routes, Sink sink) : JsonItemStream(std::move(routes), std::move(sink), Limits{}) {}

    // Errors name the line (and the JSON path where known); the caller adds the file.
    Status feed(std::string_view chunk);
    Status finish();

    int64_t documents() const { return m_documents; }
    int64_t items() const { return m_items; }
    int64_t line() const { return m_line; }

private:
    enum class Expect : uint8_t { Value, KeyOrEnd, Key, Colon, CommaOrEnd };
    struct Frame
    {
        bool object = false;
        Expect expect = Expect::Value;
        int64_t index = -1;            // arrays: current element
        std::string key;               // objects: current key
        std::vector<std::string> keys; // objects: keys seen (I-JSON: no duplicates)
    };
    enum class Mode : uint8_t { Skeleton, Capture, KeyString };

    Status start();
    Status feedText(std::string_view chunk);
    Status step(std::string_view chunk, size_t& i);
    Status startValue(char c);
    Status endCapture();
    Status valueDone();
    Error error(const QString& message, const QString& field = {}) const;
    std::string pathString(bool withCurrent) const;
    int matchRoute(bool& prefix, bool& wantObject) const;

    std::vector<std::vector<std::string>> m_routes;
    Sink m_sink;
    Limits m_limits;
    std::vector<Frame> m_stack;
    std::vector<int64_t> m_indices;
    Mode m_mode = Mode::Skeleton;
    int64_t m_line = 1, m_documents = 0, m_items = 0;
    bool m_started = false;
    size_t m_bomBytes = 0; // bytes of a UTF-8 byte order mark seen before the document

    // Capture state.
    std::string m_capture;
    int m_captureRoute = -1; // -1: a value off the routes, validated and dropped
    int64_t m_captureLine = 0;
    size_t m_captureDepth = 0;
    bool m_inString = false, m_escape = false, m_scalar = false, m_bigDigits = false;
    int m_digits = 0;
    std::string m_keyBuf;
};

// Rewrites bare integers beyond 2^53-1 as strings (outside string literals); returns false when there were none.
bool quoteBigIntegers(std::string_view in, std::string& out);

} // namespace chainsight::importers
