// OpenTelemetry traces in the OTLP JSON encoding (resourceSpans / scopeSpans / spans; ids as hex, times in unix
// nanoseconds, typed attribute values), mapped by the GenAI semantic conventions: invoke_agent / create_agent
// give agents and sessions, execute_tool tool calls and results, retrieval retrievals with their documents,
// inference spans LLM outputs with token usage and their input messages prompts, guardrail spans runtime
// decisions; span parents become causal parents, and every attribute outside the conventions is kept on the
// event (`otel.attributes`). Two passes: the first learns every span's parent and agent context (a parent
// usually follows its children in the file, as spans are exported when they end), the second maps.
#pragma once

#include "importers/logs/LogDecoder.h"

#include <memory>

namespace chainsight::importers {

class OtlpDecoder : public LogDecoder
{
public:
    // stem names the agent and session of spans that carry none.
    OtlpDecoder(LogSink& sink, std::string stem);
    ~OtlpDecoder() override;
    int passes() const override { return 2; }
    Status beginPass(int pass) override;
    Status feed(std::string_view chunk) override;
    Status endPass() override;
    int64_t events() const override;
    int64_t decisions() const override;
    json::Value summary() const override;

    // Content sniffing on the first bytes of a file: 0, or how sure.
    static int sniff(std::string_view head);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::importers
