// The RACI matrix model; see RaciModel.h.
#include "views/response/RaciModel.h"

#include "views/response/ResponseController.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace chainsight::views {

using namespace response;

RaciModel::RaciModel(ResponseController* controller, QObject* parent) : QAbstractTableModel(parent), m_c(controller)
{
    connect(m_c, &ResponseController::changed, this, &RaciModel::refresh);
    refresh();
}

void RaciModel::refresh()
{
    QStringList acts, ids, names;
    if (ResponseCase* rc = m_c->responseCase()) {
        for (const auto& a : rc->raciActivities())
            acts << QString::fromStdString(a);
        for (const auto& r : rc->state().roles) {
            ids << QString::fromStdString(r.id);
            names << QString::fromStdString(r.name);
        }
    }
    if (acts == m_activities && ids == m_roleIds && names == m_roleNames) {
        if (!m_activities.isEmpty()) emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    m_activities = acts;
    m_roleIds = ids;
    m_roleNames = names;
    endResetModel();
}

int RaciModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_activities.size());
}
int RaciModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_roleIds.size()) + 1;
}

QString RaciModel::problemsOf(const QString& activity) const
{
    QStringList out;
    if (ResponseCase* rc = m_c->responseCase())
        for (const auto& p : rc->raciProblems())
            if (QString::fromStdString(p.activity) == activity) out << QString::fromStdString(p.what);
    return out.join(QStringLiteral("; "));
}

QVariant RaciModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    if (o == Qt::Horizontal) {
        if (section < m_roleNames.size()) return m_roleNames[section];
        return tr("Problems");
    }
    if (section >= m_activities.size()) return {};
    const QString act = m_activities[section];
    if (auto p = phaseFromKey(act.toStdString())) return QString::fromStdString(std::string(phaseTitle(*p)));
    ResponseCase* rc = m_c->responseCase();
    if (const PlaybookItem* i = rc ? rc->library().item(act.toStdString()) : nullptr)
        return QString::fromStdString(i->title);
    return act;
}

QVariant RaciModel::data(const QModelIndex& idx, int role) const
{
    ResponseCase* rc = m_c->responseCase();
    if (!idx.isValid() || !rc || idx.row() >= m_activities.size()) return {};
    const QString act = m_activities[idx.row()];
    if (idx.column() == m_roleIds.size()) {
        const QString p = problemsOf(act);
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == ProblemRole)
            return p.isEmpty() && role == Qt::DisplayRole ? tr("✓") : p;
        if (role == Qt::ForegroundRole)
            return QBrush(p.isEmpty() ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
        return {};
    }
    const QString roleId = m_roleIds[idx.column()];
    auto it = rc->state().raci.find({act.toStdString(), roleId.toStdString()});
    const QString v = it == rc->state().raci.end() ? QString() : QString(QChar(it->second));
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return v;
    case ActivityRole:
        return act;
    case RoleIdRole:
        return roleId;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::FontRole:
        if (v == QLatin1String("A") || v == QLatin1String("R")) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (v == QLatin1String("A")) return QBrush(QColor(0xff, 0xe0, 0xb2));
        if (v == QLatin1String("R")) return QBrush(QColor(0xbb, 0xde, 0xfb));
        if (v == QLatin1String("C")) return QBrush(QColor(0xe8, 0xf5, 0xe9));
        return {};
    case Qt::ForegroundRole:
        if (!v.isEmpty()) return QBrush(QColor(0x21, 0x21, 0x21));
        return {};
    case Qt::ToolTipRole:
        return tr("R: does the work · A: accountable (exactly one) · C: consulted · I: informed");
    }
    return {};
}

Qt::ItemFlags RaciModel::flags(const QModelIndex& idx) const
{
    if (!idx.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (idx.column() < m_roleIds.size()) f |= Qt::ItemIsEditable;
    return f;
}

bool RaciModel::setData(const QModelIndex& idx, const QVariant& value, int role)
{
    ResponseCase* rc = m_c->responseCase();
    if (!idx.isValid() || !rc || role != Qt::EditRole || idx.column() >= m_roleIds.size()) return false;
    const QString v = value.toString().trimmed().toUpper();
    if (v.size() > 1 || (v.size() == 1 && !QStringLiteral("RACI").contains(v))) return false;
    if (v == data(idx, Qt::EditRole).toString()) return false;
    return m_c->perform(rc->setRaci(m_activities[idx.row()].toStdString(), m_roleIds[idx.column()].toStdString(),
                                    v.isEmpty() ? std::nullopt : std::optional<char>(v[0].toLatin1())));
}

} // namespace chainsight::views
