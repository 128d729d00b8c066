#include "tests/support/BundleWriter.h"

#include "core/model/Time.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <random>

namespace chainsight::testing {

BundleWriter::BundleWriter() { key = std::move(*crypto::PrivateKey::generate()); }

bool writeFile(const QString& path, const std::string& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return f.write(data.data(), static_cast<qint64>(data.size())) == static_cast<qint64>(data.size());
}

std::string readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QByteArray b = f.readAll();
    return std::string(b.constData(), static_cast<size_t>(b.size()));
}

std::string BundleWriter::addBlob(const std::string& data)
{
    const std::string sha = crypto::sha256Hex(data);
    m_files["blobs/" + sha] = data;
    return sha;
}

std::string BundleWriter::publicPem() const { return key.publicPem().toStdString(); }

std::vector<std::string> BundleWriter::signDecisionLines(const std::vector<std::string>& payloads, const crypto::PrivateKey& key,
                                                         const std::string& keyId)
{
    std::vector<std::string> out;
    std::string prev(64, '0');
    int64_t seq = 0;
    for (const auto& payload : payloads) {
        crypto::Sha256 h;
        h.update(prev);
        h.update(payload);
        const crypto::Digest digest = h.finish();
        const std::string hash = crypto::toHex(digest);
        const QByteArray sig = key.sign(digest.data(), digest.size());
        json::Value line = json::Value::object();
        line.set("seq", json::Value::integer(seq++));
        line.set("payload", json::Value::string(QByteArray::fromStdString(payload).toBase64().toStdString()));
        line.set("prev", json::Value::string(prev));
        line.set("hash", json::Value::string(hash));
        line.set("key_id", json::Value::string(keyId));
        line.set("sig", json::Value::string(sig.toBase64().toStdString()));
        out.push_back(line.dump());
        prev = hash;
    }
    return out;
}

std::vector<std::string> BundleWriter::decisionLines() const { return signDecisionLines(m_decisions, key, keyId); }

namespace {
std::string joinLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines) {
        out += l;
        out += '\n';
    }
    return out;
}

bool writeManifest(const QString& dir, const std::string& bundleId, const std::string& title)
{
    json::Value files = json::Value::array();
    QDir root(dir);
    std::vector<QString> paths;
    std::function<void(const QString&)> walk = [&](const QString& sub) {
        QDir d(root.filePath(sub));
        for (const QFileInfo& fi : d.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name)) {
            const QString rel = sub.isEmpty() ? fi.fileName() : sub + QLatin1Char('/') + fi.fileName();
            if (fi.isDir()) walk(rel);
            else if (rel != QLatin1String("manifest.json")) paths.push_back(rel);
        }
    };
    walk(QString());
    for (const QString& rel : paths) {
        const std::string data = readFile(root.filePath(rel));
        json::Value f = json::Value::object();
        f.set("path", json::Value::string(rel.toStdString()));
        f.set("sha256", json::Value::string(crypto::sha256Hex(data)));
        f.set("bytes", json::Value::integer(static_cast<int64_t>(data.size())));
        files.append(std::move(f));
    }
    json::Value m = json::Value::object();
    m.set("format", json::Value::string("agent-evidence-bundle"));
    m.set("version", json::Value::integer(1));
    m.set("bundle_id", json::Value::string(bundleId));
    m.set("incident_title", json::Value::string(title));
    m.set("collected_at", json::Value::string("2026-05-06T02:14:09Z"));
    json::Value collector = json::Value::object();
    collector.set("name", json::Value::string("test-writer"));
    collector.set("version", json::Value::string("1"));
    m.set("collector", std::move(collector));
    m.set("files", std::move(files));
    return writeFile(root.filePath(QStringLiteral("manifest.json")), m.dump());
}
} // namespace

bool BundleWriter::write(const QString& dir) const
{
    QDir().mkpath(dir);
    QDir root(dir);
    bool ok = writeFile(root.filePath(QStringLiteral("events.jsonl")), joinLines(m_events));
    if (!m_decisions.empty()) ok = ok && writeFile(root.filePath(QStringLiteral("decisions.jsonl")), joinLines(decisionLines()));
    if (!m_agents.empty()) ok = ok && writeFile(root.filePath(QStringLiteral("agents.json")), m_agents);
    if (writeKeyFile && !m_decisions.empty())
        ok = ok && writeFile(root.filePath(QStringLiteral("keys/%1.pem").arg(QString::fromStdString(keyId))), publicPem());
    for (const auto& [path, data] : m_files) ok = ok && writeFile(root.filePath(QString::fromStdString(path)), data);
    return ok && writeManifest(dir, bundleId, title);
}

bool refreshManifest(const QString& dir, const std::string& bundleId) { return writeManifest(dir, bundleId, "Test incident"); }

std::string eventLine(const std::string& id, const std::string& ts, const std::string& type, const std::string& agent,
                      const std::string& session, const std::string& extra)
{
    std::string out = "{\"id\":";
    json::appendQuoted(out, id);
    out += ",\"ts\":";
    json::appendQuoted(out, ts);
    out += ",\"type\":";
    json::appendQuoted(out, type);
    out += ",\"agent\":";
    json::appendQuoted(out, agent);
    out += ",\"session\":";
    json::appendQuoted(out, session);
    if (!extra.empty()) out += "," + extra;
    out += "}";
    return out;
}

bool writeSyntheticBundle(const QString& dir, int64_t n, uint32_t seed, bool withDecisions)
{
    QDir().mkpath(dir);
    QDir root(dir);
    QFile events(root.filePath(QStringLiteral("events.jsonl")));
    QFile decisions(root.filePath(QStringLiteral("decisions.jsonl")));
    if (!events.open(QIODevice::WriteOnly | QIODevice::Truncate) || !decisions.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    auto key = crypto::PrivateKey::generate();
    std::mt19937 rng(seed);
    const char* agents[] = {"refund-agent", "support-triage", "kb-indexer", "reporting", "billing-bot", "ops-runner", "hr-assistant", "sales-copilot"};
    const char* tools[] = {"crm.lookup", "payments.refund", "email.send", "kb.search", "db.query", "http.get", "files.read", "tickets.update"};
    const char* words[] = {"customer", "refund", "order", "invoice", "ticket", "policy", "account", "shipment", "delay",
                           "escalate", "approved", "balance", "statement", "duplicate", "charge", "review", "priority"};
    std::string prev(64, '0');
    int64_t seq = 0;
    const int64_t t0 = *parseRfc3339("2026-05-06T01:00:00Z");
    std::string buf, dbuf;
    buf.reserve(1 << 22);
    std::string lastCall;
    for (int64_t i = 0; i < n; ++i) {
        const int a = static_cast<int>(rng() % 8);
        const int64_t ts = t0 + i * 3000000 + static_cast<int64_t>(rng() % 1000000);
        const std::string id = "e" + std::to_string(i);
        const std::string session = std::string("s-") + agents[a] + "-" + std::to_string(i / 200);
        std::string text;
        const int nw = 8 + static_cast<int>(rng() % 24);
        for (int w = 0; w < nw; ++w) {
            if (w) text += ' ';
            text += words[rng() % 17];
        }
        const int kind = static_cast<int>(i % 6);
        std::string extra;
        std::string type;
        if (kind == 0) {
            type = "prompt";
            extra = "\"role\":\"user\",\"channel\":\"ticket\",\"content\":\"" + text + "\"";
        } else if (kind == 1) {
            type = "llm_output";
            extra = "\"model\":\"gpt-4o\",\"content\":\"" + text + "\",\"tokens_in\":" + std::to_string(200 + rng() % 2000) +
                    ",\"tokens_out\":" + std::to_string(20 + rng() % 400) + ",\"parent\":\"e" + std::to_string(i - 1) + "\"";
        } else if (kind == 2) {
            type = "tool_call";
            lastCall = "c" + std::to_string(i);
            extra = std::string("\"tool\":\"") + tools[rng() % 8] + "\",\"call_id\":\"" + lastCall +
                    "\",\"arguments\":{\"query\":\"" + text.substr(0, 40) + "\",\"account\":\"acct-" + std::to_string(1000 + rng() % 50) +
                    "\"},\"identity\":\"sa:" + agents[a] + "@prod\",\"parent\":\"e" + std::to_string(i - 1) + "\"";
        } else if (kind == 3) {
            type = "tool_result";
            extra = "\"call_id\":\"" + lastCall + "\",\"status\":\"ok\",\"http_status\":200,\"output\":\"" + text + "\",\"parent\":\"e" +
                    std::to_string(i - 1) + "\"";
        } else if (kind == 4) {
            type = "retrieval";
            extra = "\"source\":{\"uri\":\"kb://docs/" + std::to_string(rng() % 500) + ".md\",\"kind\":\"rag\",\"id\":\"d" +
                    std::to_string(rng() % 500) + "\"},\"content\":\"" + text + "\",\"score\":0." + std::to_string(rng() % 1000);
        } else {
            type = i % 12 == 5 ? "egress" : "auth";
            extra = type == "egress" ? "\"dest\":\"api.payments.internal\",\"bytes_out\":" + std::to_string(rng() % 5000) + ",\"protocol\":\"https\""
                                     : std::string("\"principal\":\"sa:") + agents[a] + "@prod\",\"action\":\"token\",\"outcome\":\"success\"";
        }
        buf += eventLine(id, formatRfc3339(ts), type, agents[a], session, extra);
        buf += '\n';
        if (kind == 2 && withDecisions) {
            std::string payload = "{\"ts\":\"" + formatRfc3339(ts) + "\",\"agent\":\"" + agents[a] + "\",\"session\":\"" + session +
                                  "\",\"event\":\"" + id + "\",\"decision\":\"" + (rng() % 50 == 0 ? "BLOCK" : "ALLOW") +
                                  "\",\"policy\":\"default\",\"reason\":\"within policy\"}";
            crypto::Sha256 h;
            h.update(prev);
            h.update(payload);
            const crypto::Digest digest = h.finish();
            const std::string hash = crypto::toHex(digest);
            const QByteArray sig = key->sign(digest.data(), digest.size());
            dbuf += "{\"seq\":" + std::to_string(seq++) + ",\"payload\":\"" + QByteArray::fromStdString(payload).toBase64().toStdString() +
                    "\",\"prev\":\"" + prev + "\",\"hash\":\"" + hash + "\",\"key_id\":\"gw-bench\",\"sig\":\"" + sig.toBase64().toStdString() + "\"}\n";
            prev = hash;
        }
        if (buf.size() > (1 << 22)) {
            events.write(buf.data(), static_cast<qint64>(buf.size()));
            buf.clear();
        }
        if (dbuf.size() > (1 << 22)) {
            decisions.write(dbuf.data(), static_cast<qint64>(dbuf.size()));
            dbuf.clear();
        }
    }
    events.write(buf.data(), static_cast<qint64>(buf.size()));
    decisions.write(dbuf.data(), static_cast<qint64>(dbuf.size()));
    events.close();
    decisions.close();
    writeFile(root.filePath(QStringLiteral("keys/gw-bench.pem")), key->publicPem().toStdString());
    // The manifest hashes the files by streaming them.
    json::Value files = json::Value::array();
    if (!withDecisions) {
        QFile::remove(root.filePath(QStringLiteral("decisions.jsonl")));
        QFile::remove(root.filePath(QStringLiteral("keys/gw-bench.pem")));
    }
    for (const char* rel : {"decisions.jsonl", "events.jsonl", "keys/gw-bench.pem"}) {
        if (!withDecisions && std::string_view(rel) != "events.jsonl") continue;
        QFile f(root.filePath(QString::fromLatin1(rel)));
        if (!f.open(QIODevice::ReadOnly)) return false;
        crypto::Sha256 h;
        int64_t size = 0;
        while (!f.atEnd()) {
            QByteArray chunk = f.read(1 << 20);
            h.update(chunk.constData(), static_cast<size_t>(chunk.size()));
            size += chunk.size();
        }
        json::Value o = json::Value::object();
        o.set("path", json::Value::string(rel));
        o.set("sha256", json::Value::string(crypto::toHex(h.finish())));
        o.set("bytes", json::Value::integer(size));
        files.append(std::move(o));
    }
    json::Value m = json::Value::object();
    m.set("format", json::Value::string("agent-evidence-bundle"));
    m.set("version", json::Value::integer(1));
    m.set("bundle_id", json::Value::string("b-synthetic-" + std::to_string(n) + "-" + std::to_string(seed)));
    m.set("incident_title", json::Value::string("Synthetic load"));
    m.set("collected_at", json::Value::string("2026-05-06T02:14:09Z"));
    m.set("files", std::move(files));
    return writeFile(root.filePath(QStringLiteral("manifest.json")), m.dump());
}

} // namespace chainsight::testing
