// Checkable facet values with counts.
#include "views/models/FacetModel.h"

#include "views/Theme.h"

#include <QLocale>

namespace chainsight::views {

void FacetModel::setValues(const std::vector<store::FacetValue>& values)
{
    beginResetModel();
    m_values = values;
    endResetModel();
}

QStringList FacetModel::checkedValues() const
{
    QStringList out;
    for (const auto& v : m_values)
        if (m_checked.contains(fromStd(v.value))) out << fromStd(v.value);
    for (const QString& c : m_checked)
        if (!out.contains(c)) out << c; // checked elsewhere (e.g. from the graph) though not listed
    return out;
}

void FacetModel::setChecked(const QStringList& values)
{
    m_checked = QSet<QString>(values.begin(), values.end());
    if (!m_values.empty()) emit dataChanged(index(0), index(rowCount() - 1), {Qt::CheckStateRole});
}

int FacetModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_values.size()); }

QVariant FacetModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const auto& v = m_values[static_cast<size_t>(index.row())];
    const QString value = fromStd(v.value);
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1  (%2)").arg(value, QLocale().toString(static_cast<qlonglong>(v.count)));
    case Qt::CheckStateRole:
        return m_checked.contains(value) ? Qt::Checked : Qt::Unchecked;
    case ValueRole:
        return value;
    case CountRole:
        return QVariant::fromValue<qint64>(v.count);
    case Qt::ToolTipRole:
        return value;
    default:
        return {};
    }
}

bool FacetModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole) return false;
    const QString v = fromStd(m_values[static_cast<size_t>(index.row())].value);
    if (value.toInt() == Qt::Checked) m_checked.insert(v);
    else m_checked.remove(v);
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit checkedChanged();
    return true;
}

Qt::ItemFlags FacetModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

} // namespace chainsight::views
