// The findings table model and its filter; see FindingsModel.h.
#include "views/analysis/FindingsModel.h"

#include "core/model/Event.h"
#include "views/Theme.h"

#include <QColor>
#include <QFont>

namespace chainsight::views {

QColor severityColor(analysis::Severity s)
{
    using analysis::Severity;
    switch (s) {
    case Severity::Critical:
        return verdictColor(Verdict::Block);
    case Severity::High:
        return isDark() ? QColor(0xff, 0x8a, 0x3d) : QColor(0xc4, 0x4d, 0x00);
    case Severity::Medium:
        return verdictColor(Verdict::Constrain);
    case Severity::Low:
        return isDark() ? QColor(0x7a, 0xb8, 0xff) : QColor(0x1f, 0x5f, 0xae);
    case Severity::Info:
        break;
    }
    return QPalette().color(QPalette::PlaceholderText);
}

void FindingsModel::setReport(std::shared_ptr<const analysis::AnalysisReport> report)
{
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

const analysis::Finding* FindingsModel::finding(int row) const
{
    if (!m_report || row < 0 || row >= static_cast<int>(m_report->findings.size())) return nullptr;
    return &m_report->findings[static_cast<size_t>(row)];
}

int FindingsModel::rowForEvent(const QString& eventId) const
{
    if (!m_report) return -1;
    const std::string id = eventId.toStdString();
    for (size_t i = 0; i < m_report->findings.size(); ++i)
        for (const std::string& e : m_report->findings[i].events)
            if (e == id) return static_cast<int>(i);
    return -1;
}

int FindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_report ? 0 : static_cast<int>(m_report->findings.size());
}

int FindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const analysis::Finding* f = finding(index.row());
    if (!f) return {};
    auto atlas = [f](bool names) {
        QStringList out;
        for (const analysis::AtlasRef& a : f->atlas)
            out << (names ? QStringLiteral("%1 %2").arg(fromStd(a.id), fromStd(a.name)) : fromStd(a.id));
        return out.join(names ? QStringLiteral("\n") : QStringLiteral(", "));
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return fromStd(std::string(analysis::severityName(f->severity)));
        case RuleColumn:
            return fromStd(f->rule);
        case AtlasColumn:
            return atlas(false);
        case EventsColumn:
            if (f->events.empty()) return QString();
            return f->events.size() == 1 ? fromStd(f->events.front())
                                         : tr("%1 +%2").arg(fromStd(f->events.front())).arg(f->events.size() - 1);
        case AgentColumn:
            return fromStd(f->agent);
        case SummaryColumn:
            return fromStd(f->summary);
        }
        return {};
    case Qt::ToolTipRole: {
        QStringList ev;
        for (const std::string& e : f->events)
            ev << fromStd(e);
        return tr("<b>%1</b> (%2)<br>%3<br><br>ATLAS: %4<br>events: %5")
            .arg(fromStd(f->rule), fromStd(std::string(analysis::severityName(f->severity))),
                 fromStd(f->summary).toHtmlEscaped(),
                 atlas(true).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("; ")),
                 ev.join(QStringLiteral(", ")));
    }
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn) return severityColor(f->severity);
        return {};
    case Qt::FontRole:
        if (index.column() == SeverityColumn && f->severity >= analysis::Severity::High) {
            QFont b;
            b.setBold(true);
            return b;
        }
        return {};
    case SeverityRankRole:
        return static_cast<int>(f->severity);
    case KeyEventRole:
        return f->events.empty() ? QString() : fromStd(f->events.front());
    case EventIdsRole: {
        QStringList ev;
        for (const std::string& e : f->events)
            ev << fromStd(e);
        return ev;
    }
    default:
        return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case AtlasColumn:
        return tr("ATLAS");
    case EventsColumn:
        return tr("Events");
    case AgentColumn:
        return tr("Agent");
    case SummaryColumn:
        return tr("Summary");
    }
    return {};
}

FindingsFilter::FindingsFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(-1);
}

void FindingsFilter::setMinimumSeverity(int rank)
{
    if (rank == m_minSeverity) return;
    m_minSeverity = rank;
    invalidateFilter();
}

bool FindingsFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (i.data(FindingsModel::SeverityRankRole).toInt() < m_minSeverity) return false;
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

bool FindingsFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (left.column() == FindingsModel::SeverityColumn)
        return left.data(FindingsModel::SeverityRankRole).toInt() < right.data(FindingsModel::SeverityRankRole).toInt();
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace chainsight::views
