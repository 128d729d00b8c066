// The values of one facet (types, agents, sessions or identities) with their event counts, checkable: what a
// filter chip's drop-down lists.
#pragma once

#include "core/store/CaseQueries.h"

#include <QAbstractListModel>
#include <QSet>
#include <QStringList>

namespace chainsight::views {

class FacetModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { ValueRole = Qt::UserRole + 1, CountRole };

    explicit FacetModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

    void setValues(const std::vector<store::FacetValue>& values);
    QStringList checkedValues() const;
    void setChecked(const QStringList& values);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

signals:
    void checkedChanged();

private:
    std::vector<store::FacetValue> m_values;
    QSet<QString> m_checked;
};

} // namespace chainsight::views
