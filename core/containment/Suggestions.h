// What the workbench proposes to contain, from the analysis (incident type, tier, blast radius, sessions) and the
// agents' baselines: in the seeds' order (tokens, sessions, service account, tool integrations, downstream
// automations), then the platform controls (quarantine, kill) and the people to tell. Targets are filled in; the
// analyst edits and issues them.
#pragma once

#include "core/analysis/Analysis.h"
#include "core/containment/Containment.h"
#include "core/model/Event.h"

#include <QList>
#include <QString>

#include <vector>

namespace chainsight::containment {

struct Suggestion
{
    ActionSpec spec; // kind, backend (the first configured backend of the right kind, or ""), target, message
    QString agent;
    QString why;
    QString stage; // tokens, sessions, service-account, tools, automations, platform, people
};

std::vector<Suggestion> suggest(const analysis::AnalysisReport& report, const std::vector<AgentBaseline>& baselines,
                                const QList<Backend>& backends);

} // namespace chainsight::containment
