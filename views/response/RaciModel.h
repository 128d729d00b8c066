// The RACI matrix as a table model: activities (the six phases, then items given cells) against the case's roles;
// cells R, A, C, I or empty; the last column says what is wrong with the row (no A, more than one A, no R).
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

namespace chainsight::views {

class ResponseController;

class RaciModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { ActivityRole = Qt::UserRole + 1, RoleIdRole, ProblemRole };

    explicit RaciModel(ResponseController* controller, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    void refresh();

private:
    QString problemsOf(const QString& activity) const;
    ResponseController* m_c;
    QStringList m_activities, m_roleIds, m_roleNames;
};

} // namespace chainsight::views
