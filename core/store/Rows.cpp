#include "core/store/Rows.h"

namespace chainsight::store::rows {

Event readEvent(const Statement& st)
{
    Event e;
    e.rowid = st.int64(0);
    e.bundle = st.int64(1);
    e.id = st.text(2);
    e.tsNs = st.int64(3);
    e.type = static_cast<EventType>(st.int64(4));
    e.agent = st.text(5);
    e.session = st.text(6);
    e.identity = st.text(7);
    e.parent = st.text(8);
    e.callId = st.text(9);
    e.tool = st.text(10);
    e.traceId = st.text(11);
    e.spanId = st.text(12);
    e.summary = st.text(13);
    e.json = st.text(14);
    e.line = st.int64(15);
    return e;
}

std::string decisionCols(std::string_view alias, bool withPayload)
{
    static constexpr std::string_view kCols[] = {"bundle", "seq",    "ts",   "agent",  "session", "event",   "verdict",
                                                 "policy", "reason", "key_id", "hash", "valid",   "failure", "line"};
    std::string out;
    auto add = [&](std::string_view col) {
        if (!out.empty()) out += ", ";
        if (!alias.empty()) (out += alias) += '.';
        out += col;
    };
    for (std::string_view c : kCols)
        add(c);
    if (withPayload) add("payload");
    return out;
}

int64_t readDecision(const Statement& st, Decision& d, bool withPayload)
{
    d.seq = st.int64(1);
    d.tsNs = st.int64(2);
    d.agent = st.text(3);
    d.session = st.text(4);
    d.event = st.text(5);
    d.verdict = verdictFromName(st.textView(6));
    d.policy = st.text(7);
    d.reason = st.text(8);
    d.keyId = st.text(9);
    d.hash = st.text(10);
    d.valid = st.int64(11) != 0;
    d.failure = st.text(12);
    d.line = st.int64(13);
    if (withPayload) d.payloadJson = st.text(14);
    return st.int64(0);
}

} // namespace chainsight::store::rows
