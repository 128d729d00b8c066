// Replaying a case as a live incident. ReplayClock maps wall time to scenario time at a chosen speed (pause, 1x,
// 10x, 60x, jump) from an injected wall clock, so tests never wait. ParticipantCase is the participants' view of
// the case: a separate case file holding only what has happened by the replay time (events with ts <= t, the
// decisions made by then, the baselines, the blobs those events reference), grown by appending as time advances.
// Everything the participants' panels and the analysis read comes from it, so the future is hidden generally;
// the facilitator's case is only ever read. QtCore only.
#pragma once

#include "core/Result.h"
#include "core/custody/Custody.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::exercise {

// Scenario time is nanoseconds after the scenario's start; wall time is milliseconds since the Unix epoch.
class ReplayClock
{
public:
    using WallClock = std::function<int64_t()>; // ms since epoch
    explicit ReplayClock(WallClock wall = {});

    int64_t nowNs() const; // scenario time now
    double speed() const { return m_speed; }
    bool paused() const { return m_paused; }
    void setSpeed(double speed); // > 0; keeps the current scenario time
    void pause();
    void resume();
    void jumpTo(int64_t scenarioNs); // forward or back; keeps pause and speed
    int64_t wallMs() const;

    // Scenario time at a past wall time of this run (for records the case holds with their wall time). Before the
    // run's start: 0.
    int64_t scenarioAtWall(int64_t wallMs) const;

    struct Segment
    {
        int64_t wallMs, scenarioNs;
        double speed; // 0 while paused
    };
    const std::vector<Segment>& segments() const { return m_segments; }

private:
    void mark();
    WallClock m_wall;
    double m_speed = 1;
    bool m_paused = true;
    std::vector<Segment> m_segments; // one per change of speed, pause or jump
};

// A virtual wall clock for headless runs and tests: starts at a real time and moves only when told.
struct VirtualWall
{
    int64_t ms = 0;
    ReplayClock::WallClock clock()
    {
        return [this] { return ms; };
    }
};

struct CutStats
{
    int64_t events = 0, decisions = 0, blobs = 0, appended = 0;
    int64_t cutNs = INT64_MIN; // absolute event time (ns since epoch) up to which the case holds events
};

// The participants' case. create() makes a new case file from the facilitator's case (read only) holding the
// bundles' records (without their evidence files, which would reveal the future) and the baselines; advanceTo()
// appends what became due, in the source's (ts, row) order, in one transaction with an `exercise.advance` custody
// entry. Time never goes back: a jump backwards needs a new ParticipantCase.
class ParticipantCase
{
public:
    static Result<std::unique_ptr<ParticipantCase>> create(const QString& sourceCase, const QString& participantCase,
                                                           const json::Value& startDetail = {});
    ~ParticipantCase();

    const QString& path() const { return m_path; }
    store::CaseStore& store() { return *m_dst; }
    const CutStats& stats() const { return m_stats; }
    int64_t firstTs() const { return m_firstTs; } // of the source case
    int64_t lastTs() const { return m_lastTs; }

    // Appends the events with ts <= absoluteNs not yet in the case. Returns how many were added.
    Result<int64_t> advanceTo(int64_t absoluteNs, const custody::Actor& actor = custody::Actor::current());

private:
    ParticipantCase() = default;
    QString m_path;
    std::unique_ptr<store::CaseStore> m_src, m_dst;
    std::map<int64_t, int64_t> m_bundleMap; // source bundle row -> participant bundle row
    std::set<std::string> m_blobs;          // copied already
    std::set<std::string> m_visible;        // "<source bundle>\n<event id>" of the events in the case
    std::set<int64_t> m_decisionsCopied;    // by source decision seq key (bundle << 32 | seq)
    int64_t m_firstTs = 0, m_lastTs = 0;
    CutStats m_stats;
};

// Builds the case cut at absoluteNs in one step (the reference the replay must equal).
Result<std::unique_ptr<ParticipantCase>> cutCase(const QString& sourceCase, const QString& out, int64_t absoluteNs);

} // namespace chainsight::exercise
