// The victim of EditCrashSafety: opens a case and records analyst classifications as fast as it can, each one
// row in `classifications` and its `classification.set` custody entry in one transaction (as the response
// workflow does), until it is killed. Prints "ready" once the case is open.
//   usage: hardening_edit_writer CASE
#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"
#include "core/store/Database.h"

#include <cstdio>

using namespace chainsight;

int main(int argc, char** argv)
{
    if (argc != 2) return 2;
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenExisting;
    auto cs = store::CaseStore::open(QString::fromLocal8Bit(argv[1]), o);
    if (!cs.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(cs.error().toString()));
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    const custody::Actor actor{"analyst", "soc-host"};
    const char* types[] = {"prompt_injection", "tool_misuse", "privilege_escalation", "data_exfiltration"};
    for (int64_t i = 0;; ++i) {
        auto tx = (*cs)->begin();
        if (!tx.ok()) return 1;
        auto st = (*cs)->database()->prepare("INSERT INTO classifications(ts, actor, source, incident_type, tier, "
                                             "confidence, reason) VALUES (?1, ?2, 'analyst', ?3, ?4, ?5, ?6)");
        if (!st.ok()) return 1;
        const std::string reason = "analyst review " + std::to_string(i) + std::string(200, '.');
        if (!st->bind(1, std::string("2026-05-06T02:00:00Z"))
                 .bind(2, actor.name)
                 .bind(3, std::string(types[i % 4]))
                 .bind(4, static_cast<int64_t>(1 + i % 4))
                 .bind(5, 0.5)
                 .bind(6, reason)
                 .exec()
                 .ok())
            return 1;
        json::Value detail = json::Value::object();
        detail.set("type", json::Value::string(types[i % 4]));
        detail.set("n", json::Value::integer(i));
        if (!custody::append(**cs, actor, "classification.set", "case", detail).ok()) return 1;
        if (!(*cs)->commit(*tx).ok()) return 1;
    }
}
