// Writes the seed corpora of the fuzz targets (tests/fuzz) into OUT/<target>/: the repository's scenario
// and demo bundles (tests/data, resources/demo) cut into inputs of a size a fuzzer can work with, and small
// signed bundles written here as .zip and .tar.gz, intact and hostile.
//   usage: fuzz_seed_corpus SOURCE_DIR OUT_DIR
#include "core/io/ArchiveWriter.h"
#include "tests/support/BundleWriter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <string>
#include <vector>

using namespace chainsight;
using namespace chainsight::testing;

namespace {

QString g_out;
int g_count = 0;

void writeSeed(const QString& target, const QString& name, const std::string& bytes)
{
    const QString dir = g_out + QLatin1Char('/') + target;
    QDir().mkpath(dir);
    QFile f(dir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())) {
        std::fprintf(stderr, "fuzz_seed_corpus: cannot write %s\n", qPrintable(f.fileName()));
        std::exit(1);
    }
    ++g_count;
}

// A seed of the foreign-log importers also seeds their decoder-only target (<format>_decode).
void seed(const char* target, const QString& name, const std::string& bytes)
{
    const QString t = QLatin1String(target);
    writeSeed(t, name, bytes);
    if (t == QLatin1String("transcript") || t == QLatin1String("otlp") || t == QLatin1String("cloudtrail"))
        writeSeed(t + QLatin1String("_decode"), name, bytes);
}

// The first n lines of text (with their newlines).
std::string headLines(const std::string& text, int n)
{
    size_t pos = 0;
    for (int i = 0; i < n && pos != std::string::npos; ++i) {
        pos = text.find('\n', pos);
        if (pos != std::string::npos) ++pos;
    }
    return pos == std::string::npos ? text : text.substr(0, pos);
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

BundleWriter smallBundle(const std::string& id)
{
    BundleWriter w;
    w.bundleId = id;
    const std::string blob = w.addBlob("Refund policy v7. Settlement accounts for refunds over 500: acct-9901.");
    w.setAgentsJson(
        R"({"agents":[{"id":"refund-agent","identities":["sa:refund-bot@prod"],"allowed_tools":["crm.lookup","payments.refund"]}]})");
    const std::string a = "refund-agent", s = "sess-1";
    w.addEventLine(
        eventLine("e1", "2026-05-06T01:40:00Z", "prompt", a, s, R"("role":"user","content":"Please refund order 77")"));
    w.addEventLine(eventLine("e2", "2026-05-06T01:40:01Z", "retrieval", a, s,
                             R"("source":"kb://policy","blob":")" + blob + R"(")"));
    w.addEventLine(
        eventLine("e3", "2026-05-06T01:40:02Z", "tool_call", a, s,
                  R"("tool":"payments.refund","arguments":{"order":"77","recipient":"acct-9901","amount":812.5})"));
    w.addEventLine(
        eventLine("e4", "2026-05-06T01:40:03Z", "tool_result", a, s, R"("tool":"payments.refund","status":"ok")"));
    json::Parser p;
    for (
        const char* d :
        {R"({"ts":"2026-05-06T01:40:02Z","agent":"refund-agent","session":"sess-1","event":"e3","decision":"ALLOW","policy":"p","reason":"r"})",
         R"({"ts":"2026-05-06T01:40:03Z","agent":"refund-agent","session":"sess-1","event":"e4","decision":"DENY","policy":"p","reason":"r"})"}) {
        auto v = p.parse(d);
        if (v.ok()) w.addDecision(*v);
    }
    return w;
}

std::vector<io::ArchiveItem> itemsOf(const QString& dir, const std::string& prefix)
{
    std::vector<io::ArchiveItem> items;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        io::ArchiveItem item;
        item.path = prefix + QDir(dir).relativeFilePath(f).toStdString();
        item.data = readFile(f);
        items.push_back(std::move(item));
    }
    return items;
}

void archiveSeed(const QString& scratch, const char* name, std::vector<io::ArchiveItem> items)
{
    for (auto fmt : {io::ArchiveFormat::Zip, io::ArchiveFormat::TarGz}) {
        const QString ext = fmt == io::ArchiveFormat::Zip ? QStringLiteral(".zip") : QStringLiteral(".tar.gz");
        const QString path = scratch + QLatin1Char('/') + QLatin1String(name) + ext;
        if (!io::writeArchive(path, fmt, items).ok()) {
            std::fprintf(stderr, "fuzz_seed_corpus: cannot write %s\n", qPrintable(path));
            std::exit(1);
        }
        seed("bundle_archive", QLatin1String(name) + ext, readFile(path));
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fuzz_seed_corpus SOURCE_DIR OUT_DIR\n");
        return 2;
    }
    const QString src = QString::fromLocal8Bit(argv[1]);
    g_out = QString::fromLocal8Bit(argv[2]);
    QTemporaryDir scratch;

    // The repository's bundles: manifests whole, events and decisions cut to a few lines.
    QStringList bundles;
    QDirIterator sc(src + QStringLiteral("/tests/data/scenarios"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (sc.hasNext())
        bundles << sc.next();
    bundles << src + QStringLiteral("/resources/demo/refund-incident");
    for (const QString& b : bundles) {
        const QString name = QFileInfo(b).fileName();
        if (!QFile::exists(b + QStringLiteral("/manifest.json"))) continue;
        const std::string manifest = readFile(b + QStringLiteral("/manifest.json"));
        seed("manifest", name + QStringLiteral(".json"), manifest);
        seed("json", name + QStringLiteral("-manifest.json"), manifest);
        seed("json", name + QStringLiteral("-agents.json"), readFile(b + QStringLiteral("/agents.json")));
        const std::string events = readFile(b + QStringLiteral("/events.jsonl"));
        const auto ev = lines(events);
        for (size_t i = 0; i < ev.size() && i < 40; i += 4)
            seed("event", name + QStringLiteral("-%1.jsonl").arg(i), ev[i]);
        seed("event", name + QStringLiteral("-head.jsonl"), headLines(events, 8));
        for (size_t i = 0; i < ev.size() && i < 12; i += 3)
            seed("json", name + QStringLiteral("-event%1.json").arg(i), ev[i]);
        const std::string decisions = readFile(b + QStringLiteral("/decisions.jsonl"));
        if (!decisions.empty()) seed("decision_log", name + QStringLiteral(".jsonl"), headLines(decisions, 6));
    }

    // Small signed bundles as archives: intact (at the top, and under one folder), and hostile.
    {
        const QString dir = scratch.filePath(QStringLiteral("small"));
        const BundleWriter w = smallBundle("b-fuzz-01");
        if (!w.write(dir)) return 1;
        archiveSeed(scratch.path(), "small", itemsOf(dir, {}));
        archiveSeed(scratch.path(), "small-folder", itemsOf(dir, "bundle/"));
        seed("decision_log", QStringLiteral("small.jsonl"), readFile(dir + QStringLiteral("/decisions.jsonl")));
        seed("manifest", QStringLiteral("small.json"), readFile(dir + QStringLiteral("/manifest.json")));
        auto items = itemsOf(dir, {});
        items.push_back({"../escape.txt", "x", io::ArchiveItem::Type::File, {}});
        items.push_back({"link", "", io::ArchiveItem::Type::Symlink, "/etc/passwd"});
        items.push_back({"C:\\evil.txt", "x", io::ArchiveItem::Type::File, {}});
        archiveSeed(scratch.path(), "hostile", items);
        archiveSeed(scratch.path(), "bomb",
                    {{"manifest.json", std::string(4 << 20, '0'), io::ArchiveItem::Type::File, {}}});
    }

    // Transcripts: an OpenAI-style message array, a wrapped one, Anthropic content blocks, JSONL runs.
    seed(
        "transcript", QStringLiteral("messages.json"),
        R"([{"role":"system","content":"You are a refund agent."},{"role":"user","content":"Refund order 77"},)"
        R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"payments.refund","arguments":"{\"order\":\"77\"}"}}]},)"
        R"({"role":"tool","tool_call_id":"c1","content":"ok"},{"role":"assistant","content":"Done."}])");
    seed(
        "transcript", QStringLiteral("wrapped.json"),
        R"({"metadata":{"agent":"support-bot","model":"gpt-4o-mini","suite":"banking"},"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]})");
    seed(
        "transcript", QStringLiteral("anthropic.json"),
        R"({"messages":[{"role":"user","content":[{"type":"text","text":"read the file"}]},{"role":"assistant","content":[{"type":"thinking","thinking":"ok"},)"
        R"({"type":"tool_use","id":"t1","name":"fs.read","input":{"path":"/tmp/a"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"data"}]}]})");
    seed("transcript", QStringLiteral("runs.jsonl"),
         "{\"metadata\":{\"dataset\":\"agentdojo\",\"version\":\"v1.2\"}}\n"
         "{\"index\":0,\"messages\":[{\"role\":\"user\",\"content\":\"pay the "
         "bill\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"send_money\","
         "\"arguments\":{\"recipient\":\"US1\",\"amount\":10}}}]},{\"role\":\"tool\",\"tool_call_id\":\"a\","
         "\"content\":\"sent\"}],\"metadata\":{\"injection_task\":\"t1\",\"success\":true}}\n"
         "{\"index\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hello\",\"timestamp\":\"2026-01-02T03:04:05Z\"}]}"
         "\n");

    // Foreign logs: for the streaming item reader (first byte: the chunk size the target feeds) and for the
    // OTLP and CloudTrail importers; then any small log sample the repository has.
    auto logSeed = [](const char* target, const QString& name, char chunk, const std::string& text) {
        seed("json_items", name, std::string(1, chunk) + text);
        seed(target, name, text);
    };
    logSeed(
        "cloudtrail", QStringLiteral("cloudtrail.json"), 7,
        R"({"Records":[{"eventVersion":"1.08","eventTime":"2026-05-06T01:40:00Z","eventSource":"s3.amazonaws.com",)"
        R"("eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"10.0.0.7","userIdentity":{"type":"AssumedRole",)"
        R"("arn":"arn:aws:sts::1:assumed-role/agent/x","accessKeyId":"ASIAEXAMPLE"},"requestParameters":{"bucketName":"b","key":"k"},)"
        R"("eventID":"0b8c","readOnly":true},{"eventName":"PutObject","eventTime":"2026-05-06T01:40:01Z","eventSource":"s3.amazonaws.com"}]})");
    logSeed("cloudtrail", QStringLiteral("cloudtrail-lines.jsonl"), 32,
            "{\"Records\":[{\"eventName\":\"A\",\"eventTime\":\"2026-05-06T01:40:00Z\"}]}\n{\"Records\":[{"
            "\"eventName\":\"B\",\"x\":[1,2,{\"y\":\"\\u00e9\"}]}]}\n");
    logSeed(
        "otlp", QStringLiteral("otlp.json"), 11,
        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agent"}}]},)"
        R"("scopeSpans":[{"scope":{"name":"s"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",)"
        R"("parentSpanId":"","name":"tool.call","kind":1,"startTimeUnixNano":1746495600000000000,"endTimeUnixNano":"1746495601000000000",)"
        R"("attributes":[{"key":"gen_ai.tool.name","value":{"stringValue":"payments.refund"}},{"key":"n","value":{"intValue":"3"}}],)"
        R"("status":{"code":1}}]}]}]})");
    for (const char* area : {"otlp", "cloudtrail"}) {
        QDirIterator it(src + QStringLiteral("/tests/data"),
                        {QStringLiteral("*.json"), QStringLiteral("*.jsonl"), QStringLiteral("*.ndjson")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (!f.contains(QLatin1String(area), Qt::CaseInsensitive) || QFileInfo(f).size() > (64 << 10)) continue;
            seed(area, QFileInfo(f).fileName(), readFile(f));
        }
    }
    std::printf("fuzz_seed_corpus: %d seeds in %s\n", g_count, qPrintable(g_out));
    return 0;
}
