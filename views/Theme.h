// Colours and small formatting helpers shared by the panels, derived from the system palette so dark and light
// desktops both read well: one hue per event type and per graph node kind, and the verdict colours (BLOCK red).
#pragma once

#include "core/graph/ExecutionGraph.h"
#include "core/model/Event.h"

#include <QColor>
#include <QPalette>
#include <QString>

#include <string_view>

namespace chainsight::views {

bool isDark(const QPalette& palette = {});
QColor typeColor(EventType t);
QColor nodeColor(graph::NodeKind k);
QColor edgeColor(graph::EdgeKind k);
QColor verdictColor(Verdict v);
QColor markColor(graph::Mark m);
// A colour blended towards the window background (for fills that must not shout).
QColor soften(const QColor& c, double amount = 0.75);

QString typeName(EventType t);
QString verdictText(Verdict v);
// "Reasoning compromise" for "reasoning_compromise" (the names of analysis::incidentTypeName); "No incident" for
// "none" or ""; an unknown name as given.
QString incidentTypeTitle(std::string_view name);
// "02:03:04.123" and "2026-05-06 02:03:04.123 UTC".
QString timeShort(int64_t ns);
QString timeLong(int64_t ns);
QString fromStd(const std::string& s);

} // namespace chainsight::views
