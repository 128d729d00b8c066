// The analysis findings as a table (severity, rule, ATLAS techniques, events, agent, summary) over the core report,
// and a filter proxy (minimum severity, free text) that sorts severity by rank rather than by name.
#pragma once

#include "core/analysis/Analysis.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <memory>

namespace chainsight::views {

class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, RuleColumn, AtlasColumn, EventsColumn, AgentColumn, SummaryColumn, ColumnCount };
    enum Role {
        SeverityRankRole = Qt::UserRole + 1, // int, 0 info … 4 critical
        KeyEventRole,                        // QString: the bundle id of the key event
        EventIdsRole,                        // QStringList: every event the finding names
    };

    explicit FindingsModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    void setReport(std::shared_ptr<const analysis::AnalysisReport> report);
    const analysis::Finding* finding(int row) const;
    // The first row naming this event (its bundle id), -1 when none does.
    int rowForEvent(const QString& eventId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const analysis::AnalysisReport> m_report;
};

class FindingsFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit FindingsFilter(QObject* parent = nullptr);
    void setMinimumSeverity(int rank);
    int minimumSeverity() const { return m_minSeverity; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    int m_minSeverity = 0;
};

QColor severityColor(analysis::Severity s);

} // namespace chainsight::views
