// Foreign-format import benchmark: generates a large input per importer (OTLP JSON trace, CloudTrail .json and
// .json.gz, AgentDojo-style transcript JSON Lines), imports each into a fresh case as `chainsight import` does
// (sniff, hash, keep the evidence, decode, store, index, full-text, custody) and prints events/s.
// Usage: importers_bench [EVENTS_PER_FORMAT] [WORKDIR]   (default 200000)
#include "core/Allocator.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>
#include <random>
#include <string>

using namespace chainsight;

namespace {
std::string hex(std::mt19937_64& rng, int bytes)
{
    static const char* d = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < bytes; ++i) {
        const auto b = static_cast<unsigned>(rng() & 0xff);
        s += d[b >> 4];
        s += d[b & 15];
    }
    return s;
}

std::string attr(const std::string& k, const std::string& v)
{
    return "{\"key\":\"" + k + "\",\"value\":{\"stringValue\":\"" + v + "\"}}";
}
std::string iattr(const std::string& k, int64_t v)
{
    return "{\"key\":\"" + k + "\",\"value\":{\"intValue\":\"" + std::to_string(v) + "\"}}";
}

// An agent turn per trace: invoke_agent > chat, execute_tool (call + result), retrieval (2 documents), guardrail.
// About 7 events per trace; one resourceSpans document per 200 traces, one document per line.
bool writeOtlp(const QString& path, int64_t events)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    std::mt19937_64 rng(7);
    int64_t t = 1778030000000000000LL, made = 0, turn = 0;
    while (made < events) {
        std::string doc = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + attr("service.name", "bench-agents") +
                          "]},\"scopeSpans\":[{\"scope\":{\"name\":\"bench\"},\"spans\":[";
        for (int k = 0; k < 200 && made < events; ++k, ++turn) {
            const std::string trace = hex(rng, 16), root = hex(rng, 8);
            const std::string agent = "agent-" + std::to_string(turn % 50), conv = "conv-" + std::to_string(turn);
            auto span = [&](const std::string& id, const std::string& parent, const std::string& name, int64_t s,
                            int64_t e, const std::string& attrs) {
                if (doc.back() == '}') doc += ',';
                doc += "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + id + "\"" +
                       (parent.empty() ? "" : ",\"parentSpanId\":\"" + parent + "\"") + ",\"name\":\"" + name +
                       "\",\"kind\":1,\"startTimeUnixNano\":\"" + std::to_string(s) + "\",\"endTimeUnixNano\":\"" +
                       std::to_string(e) + "\",\"attributes\":[" + attrs + "]}";
            };
            const std::string chat = hex(rng, 8), tool = hex(rng, 8), ret = hex(rng, 8), guard = hex(rng, 8);
            span(chat, root, "chat gpt-4.1", t + 1000000, t + 900000000,
                 attr("gen_ai.operation.name", "chat") + "," + attr("gen_ai.request.model", "gpt-4.1") + "," +
                     iattr("gen_ai.usage.input_tokens", 900 + turn % 300) + "," +
                     iattr("gen_ai.usage.output_tokens", 60) + "," +
                     attr("gen_ai.input.messages", "[{\\\"role\\\":\\\"user\\\",\\\"parts\\\":[{\\\"type\\\":"
                                                   "\\\"text\\\",\\\"content\\\":\\\"Refund order " +
                                                       std::to_string(turn) + " please\\\"}]}]") +
                     "," +
                     attr("gen_ai.output.messages", "[{\\\"role\\\":\\\"assistant\\\",\\\"parts\\\":[{\\\"type\\\":"
                                                    "\\\"text\\\",\\\"content\\\":\\\"Looking it up.\\\"}]}]"));
            span(tool, root, "execute_tool crm.lookup", t + 950000000, t + 1200000000,
                 attr("gen_ai.operation.name", "execute_tool") + "," + attr("gen_ai.tool.name", "crm.lookup") + "," +
                     attr("gen_ai.tool.call.id", "call-" + std::to_string(turn)) + "," +
                     attr("gen_ai.tool.call.arguments", "{\\\"order\\\":\\\"NW-" + std::to_string(turn) + "\\\"}") +
                     "," + attr("gen_ai.tool.call.result", "{\\\"status\\\":\\\"shipped\\\"}"));
            span(guard, tool, "apply_guardrail policy tool_call", t + 960000000, t + 970000000,
                 attr("gen_ai.operation.name", "apply_guardrail") + "," +
                     attr("gen_ai.security.decision.type", turn % 10 ? "allow" : "deny"));
            span(ret, root, "retrieval kb", t + 1300000000, t + 1400000000,
                 attr("gen_ai.operation.name", "retrieval") + "," + attr("gen_ai.data_source.id", "kb") + "," +
                     attr("gen_ai.retrieval.documents",
                          "[{\\\"id\\\":\\\"d1\\\",\\\"score\\\":0.9,\\\"content\\\":\\\"Refund policy "
                          "text\\\"},{\\\"id\\\":\\\"d2\\\",\\\"score\\\":0.4}]"));
            span(root, "", "invoke_agent " + agent, t, t + 1500000000,
                 attr("gen_ai.operation.name", "invoke_agent") + "," + attr("gen_ai.agent.name", agent) + "," +
                     attr("gen_ai.conversation.id", conv));
            made += 7; // prompt, llm_output, tool_call, tool_result, 2 retrievals (+1 decision)
            t += 2000000000;
        }
        doc += "]}]}]}\n";
        f.write(doc.data(), static_cast<qint64>(doc.size()));
    }
    return true;
}

bool writeCloudTrail(const QString& path, int64_t events)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    std::mt19937_64 rng(11);
    f.write("{\"Records\":[\n");
    static const char* apis[][2] = {{"s3.amazonaws.com", "GetObject"},
                                    {"s3.amazonaws.com", "PutObject"},
                                    {"sts.amazonaws.com", "AssumeRole"},
                                    {"kms.amazonaws.com", "Decrypt"},
                                    {"iam.amazonaws.com", "ListRoles"}};
    for (int64_t i = 0; i < events; ++i) {
        const auto& api = apis[i % 5];
        const int64_t s = 1778030000 + i / 20;
        char ts[32];
        std::snprintf(ts, sizeof ts, "2026-05-06T%02lld:%02lld:%02lldZ", static_cast<long long>((s / 3600) % 24),
                      static_cast<long long>((s / 60) % 60), static_cast<long long>(s % 60));
        const std::string role = "role-" + std::to_string(i % 40), sess = "sess-" + std::to_string(i % 400);
        std::string r =
            std::string(i ? ",\n" : "") +
            "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAX:" + sess +
            "\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/" + role + "/" + sess +
            "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIA" + hex(rng, 8) +
            "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::111122223333:role/" +
            role + "\",\"userName\":\"" + role + "\"}}},\"eventTime\":\"" + ts + "\",\"eventSource\":\"" + api[0] +
            "\",\"eventName\":\"" + api[1] +
            "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"10.0.0.1\",\"userAgent\":\"Boto3/"
            "1.34\",\"requestParameters\":";
        if (std::string(api[1]) == "AssumeRole")
            r += "{\"roleArn\":\"arn:aws:iam::111122223333:role/target-" + std::to_string(i % 7) +
                 "\",\"roleSessionName\":\"" + sess +
                 "-t\"},\"responseElements\":{\"assumedRoleUser\":{\"arn\":\"arn:aws:sts::111122223333:assumed-role/"
                 "target-" +
                 std::to_string(i % 7) + "/" + sess +
                 "-t\"},\"credentials\":{\"expiration\":\"2026-05-07T00:00:00Z\"}}";
        else
            r += "{\"bucketName\":\"data-" + std::to_string(i % 9) + "\",\"key\":\"obj/" + std::to_string(i) +
                 "\"},\"responseElements\":null";
        r += ",\"requestID\":\"" + hex(rng, 8) + "\",\"eventID\":\"" + hex(rng, 16) +
             "\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}";
        f.write(r.data(), static_cast<qint64>(r.size()));
    }
    f.write("\n]}\n");
    return true;
}

// AgentDojo-shaped JSON Lines: a header, then runs of user / assistant with a tool call / tool / assistant.
bool writeTranscript(const QString& path, int64_t events)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    f.write("{\"metadata\":{\"benchmark\":\"agent-dojo\",\"name\":\"bench-model\"}}\n");
    int64_t made = 0;
    for (int64_t run = 0; made < events; ++run) {
        std::string line = "{\"index\":" + std::to_string(run) +
                           ",\"messages\":[{\"role\":\"system\",\"content\":\"You are a banking "
                           "assistant.\"},{\"role\":\"user\",\"content\":\"Pay bill " +
                           std::to_string(run) + "\"}";
        for (int k = 0; k < 4; ++k) {
            const std::string id = "call_" + std::to_string(run) + "_" + std::to_string(k);
            line +=
                ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id +
                "\",\"type\":\"function\",\"function\":{\"name\":\"send_money\",\"arguments\":{\"recipient\":\"IBAN" +
                std::to_string(run) + "\",\"amount\":" + std::to_string(10 + k) +
                "}}}]},{\"role\":\"tool\",\"content\":\"sent\",\"tool_call_id\":\"" + id + "\"}";
        }
        line += ",{\"role\":\"assistant\",\"content\":\"Done.\"}],\"metadata\":{\"suite_name\":\"banking\","
                "\"security\":false,\"success\":true}}\n";
        f.write(line.data(), static_cast<qint64>(line.size()));
        made += 2 + 4 * 3 + 1;
    }
    return true;
}

struct Figures
{
    int64_t events = 0;
    double seconds = 0, megabytes = 0;
};

Figures run(const QString& dir, const QString& input, const char* label)
{
    Figures out;
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenOrCreate;
    o.bulk = true;
    auto cs = store::CaseStore::open(dir + "/" + label + ".db", o);
    if (!cs) {
        std::fprintf(stderr, "%s\n", qPrintable(cs.error().toString()));
        return out;
    }
    QElapsedTimer t;
    t.start();
    importers::ImportOptions opt;
    auto r = importers::importPath(**cs, input, opt);
    out.seconds = t.elapsed() / 1000.0;
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", label, qPrintable(r.error().toString()));
        return out;
    }
    out.events = r->events;
    out.megabytes = QFileInfo(input).size() / 1e6;
    std::printf("%-16s %-10s %9lld events  %7.1f MB  %6.2f s  %9.0f events/s  %6.1f MB/s\n", label, r->importer.c_str(),
                static_cast<long long>(out.events), out.megabytes, out.seconds, out.events / out.seconds,
                out.megabytes / out.seconds);
    std::fflush(stdout);
    return out;
}
} // namespace

int main(int argc, char** argv)
{
    chainsight::configureAllocator(argv); // as the chainsight binary does
    QCoreApplication app(argc, argv);
    const int64_t n = argc > 1 ? std::atoll(argv[1]) : 200000;
    QTemporaryDir tmp(argc > 2 ? QString::fromLocal8Bit(argv[2]) + "/importers-bench-XXXXXX"
                               : QDir::tempPath() + "/importers-bench-XXXXXX");
    const QString dir = tmp.path();
    std::printf("importers_bench: about %lld events per format, fresh case each, as `chainsight import` runs\n",
                static_cast<long long>(n));
    if (!writeOtlp(dir + "/trace.otlp.json", n) || !writeCloudTrail(dir + "/cloudtrail.json", n) ||
        !writeTranscript(dir + "/runs.jsonl", n)) {
        std::fprintf(stderr, "cannot write the inputs\n");
        return 1;
    }
    // The .json.gz as CloudTrail delivers it.
    QProcess gz;
    gz.start("gzip", {"-k", "-6", dir + "/cloudtrail.json"});
    gz.waitForFinished(-1);
    run(dir, dir + "/trace.otlp.json", "otlp");
    run(dir, dir + "/cloudtrail.json", "cloudtrail");
    if (QFile::exists(dir + "/cloudtrail.json.gz")) run(dir, dir + "/cloudtrail.json.gz", "cloudtrail-gzip");
    run(dir, dir + "/runs.jsonl", "transcript");
    return 0;
}
