// Maps one agent transcript (an OpenAI-style message array, optionally with run metadata) onto native
// events: system/user/developer -> prompt, assistant -> llm_output (+ tool_call per tool call), tool ->
// tool_result. Anthropic-style content blocks (text, tool_use, tool_result, thinking) are understood too.
// Transcripts rarely carry times: missing ones are synthesized, monotonic, and marked "ts_synthetic".
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"
#include "core/model/Event.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace chainsight::importers {

struct TranscriptRun
{
    const json::Value* messages = nullptr; // the message array
    const json::Value* metadata = nullptr; // run metadata (may be null)
    const json::Value* wrapper = nullptr;  // the object that held messages (other members are kept), may be null
    int64_t index = -1;                    // run index (the run's "index", else its position); -1: single transcript
    int64_t line = 0;                      // line in the source file (JSONL), 0 for a whole-document transcript
    std::string fieldPrefix;               // JSON path of the run inside the document ("" or "3/")
};

class TranscriptMapper
{
public:
    // fileStem names sessions and agents when the transcript does not; header is the dataset header
    // object of a JSONL file ({"metadata": ...}), if any.
    TranscriptMapper(std::string fileStem, std::string format);
    void setDatasetHeader(const json::Value& header) { m_header = header; }
    void setFormat(std::string format) { m_format = std::move(format); }

    // Calls sink for every event of the run, in order. Errors name the field (the caller adds file and line).
    Status mapRun(const TranscriptRun& run, const std::function<void(Event&&)>& sink);

    int64_t runs() const { return m_runs; }

private:
    std::string sessionFor(const TranscriptRun& run);
    std::string agentFor(const json::Value* metadata) const;
    std::string modelFor(const json::Value* metadata, const json::Value& message) const;

    std::string m_stem, m_format;
    json::Value m_header;
    std::set<std::string> m_sessions;
    int64_t m_runs = 0;
};

} // namespace chainsight::importers
