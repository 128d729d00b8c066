// Fuzz target for a foreign-log decoder on its own (no case, no files): the bytes an importer reads, turned
// into events, decisions and agent entries. Built once per format: CHAINSIGHT_FUZZ_FORMAT names the decoder
// ("transcript", "otlp", "cloudtrail"). The end-to-end targets (FuzzFileImport.cpp) also write into a case
// and run a few hundred inputs a second; this one runs the same parsing and mapping thousands of times faster.
// Two properties are checked, not just the absence of crashes:
//  - every event's JSON reads back through the native reader (eventFromJson) with the same id, type, time,
//    agent and session: what is stored is what a re-import or an export of the case would read;
//  - the output does not depend on where the input was cut: fed whole and fed in chunks of a size the input
//    decides, the decoder hands out the same events (or the same error).
#include "core/json/Json.h"
#include "core/model/Event.h"
#include "importers/cloudtrail/CloudTrailDecoder.h"
#include "importers/logs/Correlator.h"
#include "importers/otlp/OtlpDecoder.h"
#include "importers/transcript/TranscriptImporter.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace chainsight;
using namespace chainsight::importers;

namespace {

struct Outcome
{
    std::vector<std::string> events; // id, type, time and JSON of each event, in order
    int64_t decisions = 0, baselines = 0;
    bool ok = true;
    QString error;
};

class CheckingSink : public LogSink
{
public:
    explicit CheckingSink(Outcome& out) : m_out(out) {}
    void event(Event&& e) override
    {
        static json::Parser parser;
        auto v = parser.parse(e.json);
        if (!v.ok()) fail("an event's JSON does not parse", e, v.error().toString());
        auto back = eventFromJson(*v, e.json);
        if (!back.ok()) fail("an event's JSON is refused by the native reader", e, back.error().toString());
        if (back->id != e.id || back->type != e.type || back->tsNs != e.tsNs || back->agent != e.agent ||
            back->session != e.session)
            fail("an event's JSON reads back different", e, QString::fromStdString(back->id));
        m_out.events.push_back(e.id + '\x1f' + std::string(eventTypeName(e.type)) + '\x1f' + std::to_string(e.tsNs) +
                               '\x1f' + e.json);
    }
    void decision(Decision&&) override { ++m_out.decisions; }
    void baseline(AgentBaseline&&) override { ++m_out.baselines; }
    void warning(std::string) override {}

private:
    [[noreturn]] static void fail(const char* what, const Event& e, const QString& detail)
    {
        std::fprintf(stderr, "%s: %s\n  event %s: %s\n", what, qPrintable(detail), e.id.c_str(), e.json.c_str());
        std::abort();
    }
    Outcome& m_out;
};

std::unique_ptr<LogDecoder> makeDecoder(LogSink& sink, Correlator& correlator)
{
    const std::string format = CHAINSIGHT_FUZZ_FORMAT;
    if (format == "otlp") return std::make_unique<OtlpDecoder>(sink, "fuzz");
    if (format == "cloudtrail") return std::make_unique<CloudTrailDecoder>(sink, correlator, "b-fuzz", "fuzz");
    return makeTranscriptDecoder(sink, "fuzz");
}

// Agent actions for the CloudTrail correlation to match records against (the seeds' identities and times).
// Decoding adds to a correlator (the identities an AssumeRole chain hands on), so each decode gets a copy:
// state carried from one input to the next would make runs slower and their results depend on history.
const Correlator& correlatorPrototype()
{
    static const Correlator c = [] {
        Correlator k;
        Event e;
        e.id = "e-call";
        e.type = EventType::ToolCall;
        e.agent = "agent";
        e.session = "s-1";
        e.identity = "arn:aws:sts::1:assumed-role/agent/x";
        e.tool = "s3.get_object";
        e.tsNs = 1778031599000000000LL; // 2026-05-06T01:39:59Z
        e.json = R"({"id":"e-call","type":"tool_call","tool":"s3.get_object","args":{"bucket":"b","key":"k"}})";
        k.addEvent(e, 0, "b-fuzz");
        k.addAssumedIdentity("agent", "s-1", "role:agent", e.tsNs - 1000000000LL);
        k.addBaselineIdentity("agent", "ASIAEXAMPLE");
        return k;
    }();
    return c;
}

Outcome decode(std::string_view input, size_t chunk)
{
    Outcome out;
    CheckingSink sink(out);
    Correlator correlator = correlatorPrototype();
    auto decoder = makeDecoder(sink, correlator);
    for (int pass = 0; pass < decoder->passes(); ++pass) {
        Status s = decoder->beginPass(pass);
        std::string_view rest = input;
        while (s.ok() && !rest.empty()) {
            const auto part = rest.substr(0, chunk);
            rest.remove_prefix(part.size());
            s = decoder->feed(part);
        }
        if (s.ok()) s = decoder->endPass();
        if (!s.ok()) {
            if (s.error().message.isEmpty()) std::abort(); // every refusal says why
            out.ok = false;
            out.error = s.error().toString();
            return out;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const Outcome whole = decode(input, input.size() + 1);
    // The chunk size comes from the input's length, so the fuzzer explores cuts without a header byte that
    // the shared seeds would have to carry.
    const size_t chunk = 1 + (size * 2654435761u) % 67;
    const Outcome cut = decode(input, chunk);
    if (whole.ok != cut.ok || whole.events != cut.events || whole.decisions != cut.decisions ||
        whole.baselines != cut.baselines || whole.error != cut.error) {
        std::fprintf(stderr, "the output depends on where the input was cut (chunks of %zu bytes): whole %s %zu events "
                             "[%s], cut %s %zu events [%s]\n",
                     chunk, whole.ok ? "ok" : "refused", whole.events.size(), qPrintable(whole.error),
                     cut.ok ? "ok" : "refused", cut.events.size(), qPrintable(cut.error));
        std::abort();
    }
    return 0;
}
