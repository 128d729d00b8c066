#include "core/custody/CaseVerifier.h"

#include "core/crypto/Crypto.h"
#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"

#include <algorithm>

namespace chainsight::custody {

std::string VerifyProblem::toLine() const
{
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (seq >= 0) out += ": seq " + std::to_string(seq);
    if (!check.empty()) out += ": " + check;
    out += ": " + message;
    if (!bundle.empty()) out += " (bundle " + bundle + ")";
    return out;
}

Result<VerifyReport> verifyCase(store::CaseStore& store, VerifyDepth depth)
{
    VerifyReport rep;
    auto bundles = store.bundles();
    if (!bundles) return bundles.error();
    std::map<int64_t, std::string> bundleNames;
    for (const auto& b : *bundles) bundleNames[b.id] = b.bundleId;

    auto pinnedList = store.pinnedKeys();
    if (!pinnedList) return pinnedList.error();
    auto bundleKeyList = store.bundleKeys();
    if (!bundleKeyList) return bundleKeyList.error();

    auto files = store.evidenceFiles();
    if (!files) return files.error();
    for (const auto& f : *files) {
        ++rep.files;
        crypto::Sha256 h;
        int64_t size = 0;
        // Decision logs are re-verified from the bytes as collected.
        const bool isDecisions = depth == VerifyDepth::Full && f.role == "decisions";
        const bool isEvents = depth == VerifyDepth::Full && f.role == "events";
        std::string pending;
        int64_t lineNo = 0;
        // events: (line, SHA-256 of the line) — digests, so memory stays small for large files
        std::vector<std::pair<int64_t, crypto::Digest>> lines;

        KeyRing ring;
        for (const auto& k : *pinnedList) (void)ring.addPinned(k.keyId, QByteArray::fromStdString(k.pem));
        for (const auto& k : *bundleKeyList)
            if (k.bundle == f.bundle) (void)ring.addBundle(k.keyId, QByteArray::fromStdString(k.pem));
        DecisionLogVerifier verifier(ring);

        auto onLine = [&](std::string_view line) {
            ++lineNo;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.find_first_not_of(" \t") == std::string_view::npos) return;
            if (isDecisions) {
                ++rep.decisions;
                std::string detail;
                auto d = verifier.add(line, lineNo, &detail);
                if (!d) {
                    rep.problems.push_back({bundleNames[f.bundle], f.path, lineNo, -1, "format", d.error().message.toStdString()});
                } else if (!d->valid) {
                    rep.problems.push_back({bundleNames[f.bundle], f.path, -1, d->seq, d->failure, detail});
                } else {
                    ++rep.decisionsValid;
                }
            } else if (isEvents) {
                lines.emplace_back(lineNo, crypto::sha256(line));
            }
        };
        Status read = store.readEvidence(f.id, [&](std::string_view chunk) {
            h.update(chunk);
            size += static_cast<int64_t>(chunk.size());
            if (isDecisions || isEvents) {
                while (!chunk.empty()) {
                    size_t nl = chunk.find('\n');
                    if (nl == std::string_view::npos) {
                        pending.append(chunk);
                        break;
                    }
                    if (pending.empty()) {
                        onLine(chunk.substr(0, nl));
                    } else {
                        pending.append(chunk.substr(0, nl));
                        onLine(pending);
                        pending.clear();
                    }
                    chunk.remove_prefix(nl + 1);
                }
            }
            return true;
        });
        if (!read) return read.error();
        if (!pending.empty()) onLine(pending);
        for (const auto& [id, trust] : verifier.keysSeen()) rep.keys[id] = trust;

        const std::string sha = crypto::toHex(h.finish());
        bool ok = true;
        if (size != f.bytes) {
            ok = false;
            rep.problems.push_back({bundleNames[f.bundle], f.path, -1, -1, "size",
                                    "stored evidence is " + std::to_string(size) + " bytes, recorded " + std::to_string(f.bytes)});
        }
        if (sha != f.sha256) {
            ok = false;
            rep.problems.push_back({bundleNames[f.bundle], f.path, -1, -1, "sha256",
                                    "stored evidence hashes to " + sha + ", recorded at import " + f.sha256});
        }
        if (ok) ++rep.filesValid;

        if (isEvents) {
            // Every event row must still be the line it was parsed from, and every line must have its row.
            std::vector<bool> seen(lines.size(), false);
            Status s = store.forEachEventOfFile(f.id, [&](int64_t line, std::string_view json, const std::string& eid) {
                ++rep.events;
                auto it = std::lower_bound(lines.begin(), lines.end(), line,
                                           [](const auto& p, int64_t l) { return p.first < l; });
                if (it == lines.end() || it->first != line) {
                    rep.problems.push_back({bundleNames[f.bundle], f.path, line, -1, "event",
                                            "event \"" + eid + "\" has no line in the collected file"});
                } else if (seen[static_cast<size_t>(it - lines.begin())] = true; it->second != crypto::sha256(json)) {
                    rep.problems.push_back({bundleNames[f.bundle], f.path, line, -1, "event",
                                            "event \"" + eid + "\" in the case differs from the collected line"});
                } else {
                    ++rep.eventsValid;
                }
                return true;
            });
            if (!s) return s.error();
            for (size_t i = 0; i < lines.size(); ++i)
                if (!seen[i])
                    rep.problems.push_back({bundleNames[f.bundle], f.path, lines[i].first, -1, "event",
                                            "the collected line has no event in the case"});
        }
    }

    auto entries = store.custody();
    if (!entries) return entries.error();
    rep.custody = static_cast<int64_t>(entries->size());
    auto chain = verifyChain(*entries);
    std::map<int64_t, bool> bad;
    for (const auto& p : chain) {
        bad[p.seq] = true;
        rep.problems.push_back({"", "custody", -1, p.seq, p.what, "the custody log's " + p.what + " check fails at this entry"});
    }
    rep.custodyValid = rep.custody - static_cast<int64_t>(bad.size());
    return rep;
}

Status checkOnOpen(store::CaseStore& store)
{
    auto rep = verifyCase(store, VerifyDepth::Evidence);
    if (!rep) return rep.error();
    if (rep->intact()) return {};
    const VerifyProblem& first = rep->problems.front();
    if (!store.readOnly()) {
        auto tx = store.begin();
        if (tx) {
            json::Value detail = json::Value::object();
            json::Value list = json::Value::array();
            for (const auto& p : rep->problems) list.append(json::Value::string(p.toLine()));
            detail.set("problems", std::move(list));
            auto e = append(store, Actor::current(), "integrity_failure", "case", detail);
            if (e) (void)store.commit(*tx);
        }
    }
    return makeError(ErrorCode::Blocked,
                     QStringLiteral("evidence does not match its recorded hash (%1 problem(s)); first: %2")
                         .arg(rep->problems.size())
                         .arg(QString::fromStdString(first.toLine())),
                     store.path());
}

} // namespace chainsight::custody
