// Internal to core/store: the column lists and row readers the store's queries share, so an events or decisions
// row is read one way everywhere.
#pragma once

#include "core/Result.h"
#include "core/model/Event.h"
#include "core/store/Database.h"

#include <string>
#include <string_view>

namespace chainsight::store::rows {

// Columns readEvent() expects, in order.
inline constexpr std::string_view kEventCols =
    "id, bundle, eid, ts, type, agent, session, identity, parent, call_id, tool, trace_id, span_id, summary, json, line";
Event readEvent(const Statement& st);

// Columns readDecision() expects, each prefixed with `alias.` when alias is not empty: bundle, seq, ts, agent,
// session, event, verdict, policy, reason, key_id, hash, valid, failure, line (14 columns), then payload when
// withPayload. The bundle's rowid is returned; the next free column is decisionColumnCount(withPayload).
std::string decisionCols(std::string_view alias, bool withPayload);
int64_t readDecision(const Statement& st, Decision& d, bool withPayload);
constexpr int decisionColumnCount(bool withPayload) { return withPayload ? 15 : 14; }

// Steps a prepared statement to its end, calling fn(st) for each row.
template <class Fn> Status eachRow(Statement& st, Fn&& fn)
{
    for (;;) {
        auto r = st.step();
        if (!r) return r.error();
        if (!*r) return {};
        fn(st);
    }
}

} // namespace chainsight::store::rows
