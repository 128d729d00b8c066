#include "core/custody/Custody.h"

#include "core/crypto/Crypto.h"
#include "core/model/Time.h"
#include "core/store/CaseStore.h"

#include <QDateTime>
#include <QSysInfo>
#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace chainsight::custody {

Actor Actor::current()
{
    Actor a;
    QByteArray name = qgetenv("CHAINSIGHT_ANALYST");
    if (name.isEmpty()) name = qgetenv("USER");
    if (name.isEmpty()) name = qgetenv("USERNAME");
#ifdef Q_OS_UNIX
    if (name.isEmpty()) {
        if (const passwd* pw = getpwuid(getuid())) name = pw->pw_name;
    }
#endif
    a.name = name.isEmpty() ? std::string("unknown") : name.toStdString();
    a.host = QSysInfo::machineHostName().toStdString();
    if (a.host.empty()) a.host = "unknown";
    return a;
}

std::string nowRfc3339()
{
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    return formatRfc3339(ms * 1000000LL);
}

std::string custodyHash(const CustodyEntry& e)
{
    std::string canonical = "[" + std::to_string(e.seq) + ",";
    json::appendQuoted(canonical, e.ts);
    canonical += ',';
    json::appendQuoted(canonical, e.actor);
    canonical += ',';
    json::appendQuoted(canonical, e.host);
    canonical += ',';
    json::appendQuoted(canonical, e.action);
    canonical += ',';
    json::appendQuoted(canonical, e.target);
    canonical += ',';
    canonical += e.detail;
    canonical += ']';
    crypto::Sha256 h;
    h.update(e.prev);
    h.update("\n");
    h.update(canonical);
    return crypto::toHex(h.finish());
}

Result<CustodyEntry> append(store::CaseStore& store, const Actor& actor, const std::string& action,
                            const std::string& target, const json::Value& detail)
{
    auto last = store.lastCustody();
    if (!last) return last.error();
    CustodyEntry e;
    e.seq = *last ? (*last)->seq + 1 : 0;
    e.prev = *last ? (*last)->hash : std::string(64, '0');
    e.ts = nowRfc3339();
    e.actor = actor.name;
    e.host = actor.host;
    e.action = action;
    e.target = target;
    e.detail = detail.isObject() ? detail.dump() : std::string("{}");
    e.hash = custodyHash(e);
    CS_TRY(store.insertCustody(e));
    return e;
}

std::vector<ChainProblem> verifyChain(const std::vector<CustodyEntry>& entries)
{
    std::vector<ChainProblem> out;
    std::string prev(64, '0');
    int64_t expected = 0;
    for (const auto& e : entries) {
        if (e.seq != expected) out.push_back({e.seq, "sequence"});
        if (e.prev != prev) out.push_back({e.seq, "chain"});
        if (custodyHash(e) != e.hash) out.push_back({e.seq, "hash"});
        prev = e.hash;
        expected = e.seq + 1;
    }
    return out;
}

} // namespace chainsight::custody
