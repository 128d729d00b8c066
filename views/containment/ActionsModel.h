// The case's containment actions as a table: state (colour-coded), approval, HTTP status, attempts, progress.
#pragma once

#include "core/store/ActionStore.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace chainsight::views {

class ActionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Action, Target, Backend, State, Approval, Http, Attempts, Detail, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1, IdRole };

    explicit ActionsModel(QObject* parent = nullptr);
    void setActions(std::vector<store::ActionRecord> actions);
    // Updates one row (or appends it) and its progress text.
    void update(const store::ActionRecord& r, const QString& progress);
    const store::ActionRecord* at(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    std::vector<store::ActionRecord> m_rows;
    QHash<int64_t, QString> m_progress;
};

} // namespace chainsight::views
