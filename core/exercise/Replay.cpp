// The replay clock and the participants' case (see Replay.h).
#include "core/exercise/Replay.h"

#include "core/model/Event.h"
#include "core/model/Time.h"
#include "core/store/CaseStore.h"

#include <QDateTime>
#include <QFile>

#include <algorithm>

namespace chainsight::exercise {

// ---- clock ------------------------------------------------------------------------------------------------------

ReplayClock::ReplayClock(WallClock wall) : m_wall(std::move(wall))
{
    if (!m_wall) m_wall = [] { return QDateTime::currentMSecsSinceEpoch(); };
    m_segments.push_back({m_wall(), 0, 0});
}

int64_t ReplayClock::wallMs() const
{
    return m_wall();
}

int64_t ReplayClock::nowNs() const
{
    return scenarioAtWall(m_wall());
}

int64_t ReplayClock::scenarioAtWall(int64_t wallMs) const
{
    // The last segment starting at or before wallMs.
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), wallMs,
                               [](int64_t w, const Segment& s) { return w < s.wallMs; });
    if (it == m_segments.begin()) return 0;
    const Segment& s = *(it - 1);
    return s.scenarioNs + static_cast<int64_t>(static_cast<double>(wallMs - s.wallMs) * 1e6 * s.speed);
}

void ReplayClock::mark()
{
    const int64_t w = m_wall();
    const int64_t now = scenarioAtWall(w);
    const Segment seg{w, now, m_paused ? 0.0 : m_speed};
    if (!m_segments.empty() && m_segments.back().wallMs == w)
        m_segments.back() = seg;
    else
        m_segments.push_back(seg);
}

void ReplayClock::setSpeed(double speed)
{
    if (!(speed > 0)) return;
    m_speed = speed;
    mark();
}

void ReplayClock::pause()
{
    m_paused = true;
    mark();
}

void ReplayClock::resume()
{
    m_paused = false;
    mark();
}

void ReplayClock::jumpTo(int64_t scenarioNs)
{
    mark();
    m_segments.back().scenarioNs = std::max<int64_t>(0, scenarioNs);
}

// ---- participants' case ------------------------------------------------------------------------------------------

namespace {

// What full-text search sees and which blob an event references, from its stored JSON.
void textAndBlob(json::Parser& parser, Event& e, std::string* blob)
{
    auto v = parser.parse(e.json);
    if (!v || !v->isObject()) return;
    if (auto parsed = eventFromJson(*v, e.json)) e.text = parsed->text;
    if (blob) *blob = std::string(v->str("blob"));
}

} // namespace

ParticipantCase::~ParticipantCase() = default;

Result<std::unique_ptr<ParticipantCase>>
ParticipantCase::create(const QString& sourceCase, const QString& participantCase, const json::Value& startDetail)
{
    if (QFile::exists(participantCase))
        return makeError(ErrorCode::Usage, QStringLiteral("the participants' case already exists"), participantCase);
    std::unique_ptr<ParticipantCase> p(new ParticipantCase);
    p->m_path = participantCase;
    store::OpenOptions ro;
    ro.mode = store::OpenOptions::Mode::ReadOnly;
    auto src = store::CaseStore::open(sourceCase, ro);
    if (!src) return src.error();
    p->m_src = std::move(*src);
    auto window = p->m_src->timeWindow();
    if (!window) return window.error();
    p->m_firstTs = window->first;
    p->m_lastTs = window->second;

    store::OpenOptions rw;
    rw.mode = store::OpenOptions::Mode::OpenOrCreate;
    auto dst = store::CaseStore::open(participantCase, rw);
    if (!dst) return dst.error();
    p->m_dst = std::move(*dst);

    auto bundles = p->m_src->bundles();
    if (!bundles) return bundles.error();
    auto baselines = p->m_src->baselines();
    if (!baselines) return baselines.error();
    auto tx = p->m_dst->begin();
    if (!tx) return tx.error();
    // Bundles in row order so a parent is mapped before its children.
    for (BundleRecord b : *bundles) {
        const int64_t from = b.id;
        b.id = 0;
        b.parentBundle = b.parentBundle ? p->m_bundleMap[b.parentBundle] : 0;
        b.source = "exercise replay of " + b.source;
        auto id = p->m_dst->insertBundle(b);
        if (!id) return id.error();
        p->m_bundleMap[from] = *id;
    }
    // Baselines are pre-incident knowledge: all of them from the start (each agent once).
    if (!p->m_bundleMap.empty()) {
        std::set<std::string> seen;
        for (const AgentBaseline& b : *baselines)
            if (seen.insert(b.id).second) CS_TRY(p->m_dst->insertBaseline(p->m_bundleMap.begin()->second, b));
    }
    CS_TRY(p->m_dst->setMeta("exercise_source", sourceCase.toStdString()));
    if (auto title = p->m_src->meta("title"); title && *title)
        CS_TRY(p->m_dst->setMeta("title", **title + " (exercise)"));
    json::Value detail = startDetail.isObject() ? startDetail : json::Value::object();
    detail.set("source_case", json::Value::string(sourceCase.toStdString()));
    CS_TRY(
        custody::append(*p->m_dst, custody::Actor::current(), "exercise.start", participantCase.toStdString(), detail));
    CS_TRY(p->m_dst->commit(*tx));
    return p;
}

Result<int64_t> ParticipantCase::advanceTo(int64_t absoluteNs, const custody::Actor& actor)
{
    if (absoluteNs <= m_stats.cutNs) return int64_t(0);
    const int64_t from = m_stats.cutNs;
    // Read first (another connection), then write in one transaction.
    // Only what became due in (from, absoluteNs]: each tick reads its own slice (ts index), not the case from t=0.
    std::vector<Event> due;
    Status s = m_src->forEachEvent(
        [&](const Event& e) {
            due.push_back(e);
            return true;
        },
        absoluteNs, from);
    if (!s) return s.error();
    // Decisions made in the slice, and those on the events that became visible in it.
    auto decisions = m_src->decisionsBetween(from, absoluteNs);
    if (!decisions) return decisions.error();
    for (const Event& e : due) {
        auto onEvent = m_src->decisionsOn(e.bundle, e.id);
        if (!onEvent) return onEvent.error();
        decisions->insert(decisions->end(), std::make_move_iterator(onEvent->begin()),
                          std::make_move_iterator(onEvent->end()));
    }

    auto tx = m_dst->begin();
    if (!tx) return tx.error();
    json::Parser parser;
    int64_t blobs = 0;
    for (Event& e : due) {
        std::string blob;
        textAndBlob(parser, e, &blob);
        const auto mapped = m_bundleMap.find(e.bundle);
        if (mapped == m_bundleMap.end())
            return makeError(ErrorCode::Internal, QStringLiteral("event of an unknown bundle"));
        m_visible.insert(std::to_string(e.bundle) + '\n' + e.id); // by source bundle, as decisions name it
        e.bundle = mapped->second;
        e.rowid = 0;
        CS_TRY(m_dst->insertEvent(e, 0));
        if (!blob.empty() && m_blobs.insert(blob).second) {
            auto data = m_src->blob(blob);
            if (!data) return data.error();
            if (*data) {
                CS_TRY(m_dst->insertBlob(blob, **data));
                ++blobs;
            }
        }
    }
    // A decision is known once it was made (its ts), and a decision on an event as soon as that event is: gateways
    // log the decision a few milliseconds after the action record, and the action never ran undecided.
    int64_t newDecisions = 0;
    for (const auto& row : *decisions) {
        const int64_t key = (row.bundle << 32) ^ row.decision.seq;
        if (m_decisionsCopied.count(key)) continue;
        const bool known =
            (row.decision.tsNs > 0 && row.decision.tsNs <= absoluteNs) ||
            (!row.decision.event.empty() && m_visible.count(std::to_string(row.bundle) + '\n' + row.decision.event));
        if (!known) continue;
        const auto mapped = m_bundleMap.find(row.bundle);
        if (mapped == m_bundleMap.end()) continue;
        CS_TRY(m_dst->insertDecision(mapped->second, row.decision));
        m_decisionsCopied.insert(key);
        ++newDecisions;
    }
    if (!due.empty() || newDecisions) {
        json::Value d = json::Value::object();
        d.set("to", json::Value::string(formatRfc3339(absoluteNs)));
        d.set("events", json::Value::integer(static_cast<int64_t>(due.size())));
        d.set("decisions", json::Value::integer(newDecisions));
        CS_TRY(custody::append(*m_dst, actor, "exercise.advance", m_path.toStdString(), d));
    }
    CS_TRY(m_dst->commit(*tx));
    m_stats.cutNs = absoluteNs;
    m_stats.events += static_cast<int64_t>(due.size());
    m_stats.decisions += newDecisions;
    m_stats.blobs += blobs;
    m_stats.appended = static_cast<int64_t>(due.size());
    return static_cast<int64_t>(due.size());
}

Result<std::unique_ptr<ParticipantCase>> cutCase(const QString& sourceCase, const QString& out, int64_t absoluteNs)
{
    auto p = ParticipantCase::create(sourceCase, out);
    if (!p) return p.error();
    auto n = (*p)->advanceTo(absoluteNs);
    if (!n) return n.error();
    return p;
}

} // namespace chainsight::exercise
