// Palette-aware colours for event types, node kinds and verdicts; time formatting in UTC.
#include "views/Theme.h"

#include "core/model/Palette.h"
#include "core/model/Time.h"

#include <QApplication>
#include <QDateTime>
#include <QTimeZone>

namespace chainsight::views {

bool isDark(const QPalette& palette)
{
    const QPalette p = palette == QPalette() ? QApplication::palette() : palette;
    return p.color(QPalette::Window).lightness() < 128;
}

namespace {
QColor tuned(const char* light, const char* dark) { return QColor(QString::fromLatin1(isDark() ? dark : light)); }
} // namespace

QColor typeColor(EventType t)
{
    const std::string_view hex = eventTypeColor(t, isDark());
    return QColor(QLatin1String(hex.data(), static_cast<qsizetype>(hex.size())));
}

QString incidentTypeTitle(std::string_view t)
{
    if (t == "reasoning_compromise") return QObject::tr("Reasoning compromise");
    if (t == "privilege_boundary_escape") return QObject::tr("Privilege boundary escape");
    if (t == "runtime_execution_escape") return QObject::tr("Runtime execution escape");
    if (t == "none" || t.empty()) return QObject::tr("No incident");
    return QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
}

QColor nodeColor(graph::NodeKind k)
{
    using graph::NodeKind;
    switch (k) {
    case NodeKind::Agent:
        return tuned("#2b6cb0", "#63a4ff");
    case NodeKind::Session:
        return tuned("#4a5568", "#a0aec0");
    case NodeKind::Source:
        return typeColor(EventType::Prompt);
    case NodeKind::Document:
        return typeColor(EventType::Retrieval);
    case NodeKind::Tool:
    case NodeKind::Call:
        return typeColor(EventType::ToolCall);
    case NodeKind::Identity:
        return typeColor(EventType::IdentityChange);
    case NodeKind::Destination:
        return typeColor(EventType::Egress);
    case NodeKind::Memory:
        return typeColor(EventType::MemoryWrite);
    case NodeKind::Runtime:
        return typeColor(EventType::Kernel);
    case NodeKind::More:
        return tuned("#718096", "#a0aec0");
    }
    return Qt::gray;
}

QColor edgeColor(graph::EdgeKind k)
{
    using graph::EdgeKind;
    switch (k) {
    case EdgeKind::Causal:
        return tuned("#dd6b20", "#ffa94d");
    case EdgeKind::Retrieval:
    case EdgeKind::Context:
        return typeColor(EventType::Retrieval);
    case EdgeKind::Delegation:
        return typeColor(EventType::Delegation);
    case EdgeKind::Identity:
        return typeColor(EventType::IdentityChange);
    case EdgeKind::Egress:
        return typeColor(EventType::Egress);
    case EdgeKind::Highlight:
        return tuned("#c53030", "#ff5c5c");
    default:
        return tuned("#8a94a6", "#6b7280");
    }
}

QColor verdictColor(Verdict v)
{
    switch (v) {
    case Verdict::Block:
        return tuned("#c53030", "#ff5c5c");
    case Verdict::Constrain:
        return tuned("#dd6b20", "#ffa94d");
    case Verdict::Log:
        return tuned("#718096", "#a0aec0");
    case Verdict::Allow:
        return tuned("#2f855a", "#68d391");
    default:
        return tuned("#a0aec0", "#4a5568");
    }
}

QColor markColor(graph::Mark m)
{
    switch (m) {
    case graph::Mark::KillChain:
        return tuned("#c53030", "#ff5c5c");
    case graph::Mark::Taint:
        return tuned("#d69e2e", "#f6c343");
    default:
        return {};
    }
}

QColor soften(const QColor& c, double amount)
{
    const QColor bg = QApplication::palette().color(QPalette::Base);
    return QColor::fromRgbF(c.redF() * (1 - amount) + bg.redF() * amount, c.greenF() * (1 - amount) + bg.greenF() * amount,
                            c.blueF() * (1 - amount) + bg.blueF() * amount);
}

QString typeName(EventType t) { return fromStd(std::string(eventTypeName(t))); }

QString verdictText(Verdict v) { return v == Verdict::Unknown ? QString() : fromStd(std::string(verdictName(v))); }

QString timeShort(int64_t ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1000000, QTimeZone::utc());
    return t.toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString timeLong(int64_t ns) { return fromStd(formatRfc3339(ns)); }

QString fromStd(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

} // namespace chainsight::views
