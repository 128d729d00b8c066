// The evidence table's model: every event of the case that passes the filter, in the chosen order, without
// loading them. The ordered rowids come from CaseQueries (off the UI thread once the case is open); rows are
// fetched a page at a time as the view scrolls and kept in a small cache.
#pragma once

#include "core/store/CaseQueries.h"

#include <QAbstractTableModel>
#include <QHash>

#include <list>
#include <memory>
#include <vector>

namespace chainsight::views {

class CaseContext;

class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Type, Agent, Session, Identity, Decision, Summary, ColumnCount };
    Q_ENUM(Column)
    enum Role { RowidRole = Qt::UserRole + 1, TimestampRole, TypeRole, VerdictRole, EventIdRole };

    explicit EventTableModel(CaseContext* context, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    const store::EventFilter& filter() const { return m_filter; }
    void setFilter(const store::EventFilter& filter);
    const store::EventSort& sortOrder() const { return m_sort; }

    int rowOf(int64_t rowid) const; // -1 when not in the current list
    int64_t rowidAt(int row) const;
    bool isBusy() const { return m_busy; }
    qint64 lastQueryMs() const { return m_lastMs; }

    // Re-runs the query: synchronously (small cases, first paint) or on a worker (large ones).
    void refresh(bool synchronous = false);

signals:
    void refreshed(qint64 rows);
    void busyChanged(bool busy);
    void queryFailed(const QString& message);

private:
    void apply(std::vector<int64_t> ids, qint64 ms);
    const store::EventRow* rowData(int row) const;

    CaseContext* m_context;
    store::EventFilter m_filter;
    store::EventSort m_sort;
    std::vector<int64_t> m_ids;
    mutable QHash<int64_t, int> m_rowOf; // built on demand
    mutable bool m_rowOfValid = false;
    static constexpr int kPage = 128;
    mutable QHash<int, std::vector<store::EventRow>> m_pages;
    mutable std::list<int> m_lru;
    int m_generation = 0;
    bool m_busy = false;
    qint64 m_lastMs = 0;
};

} // namespace chainsight::views
