// The runbook of the case's incident type as a two-level item model: the six phases (with progress, closure and
// why they cannot close) and under each its items (state, owner, due, linked evidence, notes, who changed it when).
// Editable cells become response Edits through the ResponseController (so they are undoable and in custody).
#pragma once

#include <QAbstractItemModel>

#include <vector>

namespace chainsight::views {

class ResponseController;

class ChecklistModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Title, State, Owner, Due, Evidence, Notes, Changed, Mapping, ColumnCount };
    enum Role { ItemIdRole = Qt::UserRole + 1, PhaseRole, IsPhaseRole, StateKeyRole, GateRole };

    explicit ChecklistModel(ResponseController* controller, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    // Rebuilds from the controller (after an edit, an undo or a type change).
    void refresh();
    QModelIndex indexOfItem(const QString& id, int column = Title) const;

    static QString stateText(const QString& key);

private:
    struct PhaseRow
    {
        int phase;
        std::vector<int> items; // indices into the playbook's items
    };
    ResponseController* m_c;
    std::vector<PhaseRow> m_rows;
    QString m_type; // the playbook the rows were built for
};

} // namespace chainsight::views
