// The inspector's tree: one event whole, in sections — its typed fields, its content (arguments, outputs, sources)
// as a tree, the runtime decisions on it, its provenance (retrieval source, parent chain, what it caused) and the
// evidence it came from (bundle file, line, hashes, blob). Rows that name another event navigate to it.
#pragma once

#include "core/store/CaseQueries.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace chainsight::views {

class DetailModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Field, Value, ColumnCount };
    enum Role { RowidRole = Qt::UserRole + 1, SectionRole };

    explicit DetailModel(QObject* parent = nullptr);
    ~DetailModel() override;

    void setDetail(const store::EventDetail* detail); // nullptr clears

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Item;

private:
    std::unique_ptr<Item> m_root;
};

} // namespace chainsight::views
