// Table model of containment actions.
#include "views/containment/ActionsModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace chainsight::views {

namespace {
QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString stateText(const std::string& s)
{
    if (s == "unknown") return QStringLiteral("outcome unknown");
    if (s == "sent") return QStringLiteral("sending…");
    return q(s);
}
QColor stateColor(const std::string& s)
{
    if (s == "confirmed") return QColor(0x1b, 0x7f, 0x3b);
    if (s == "failed") return QColor(0xc6, 0x28, 0x28);
    if (s == "unknown") return QColor(0xb2, 0x6a, 0x00);
    if (s == "reversed") return QColor(0x55, 0x55, 0x99);
    return QColor(0x1f, 0x5f, 0xbf);
}
} // namespace

ActionsModel::ActionsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ActionsModel::setActions(std::vector<store::ActionRecord> actions)
{
    beginResetModel();
    m_rows = std::move(actions);
    endResetModel();
}

void ActionsModel::update(const store::ActionRecord& r, const QString& progress)
{
    if (!progress.isEmpty()) m_progress.insert(r.id, progress);
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id != r.id) continue;
        m_rows[i] = r;
        emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.push_back(r);
    endInsertRows();
}

const store::ActionRecord* ActionsModel::at(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int ActionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}
int ActionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const auto& r = m_rows[size_t(index.row())];
    if (role == StateRole) return q(r.state);
    if (role == IdRole) return qlonglong(r.id);
    if (role == Qt::ForegroundRole) {
        if (index.column() == State) return QBrush(stateColor(r.state));
        if (index.column() == Approval && r.breakGlass) return QBrush(QColor(0xc6, 0x28, 0x28));
        return {};
    }
    if (role == Qt::FontRole && index.column() == State) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::ToolTipRole) {
        return QStringLiteral(
                   "Idempotency-Key: %1\nbody sha256: %2\nresponse sha256: %3\ncreated %4, sent %5, finished %6")
            .arg(q(r.idempotencyKey), q(r.bodySha256), q(r.responseSha256), q(r.createdAt), q(r.sentAt),
                 q(r.finishedAt));
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Id:
        return qlonglong(r.id);
    case Action:
        return r.reverses ? q(r.action) + QStringLiteral(" (reverses #%1)").arg(r.reverses) : q(r.action);
    case Target:
        return q(r.target);
    case Backend:
        return q(r.backend);
    case State:
        return stateText(r.state);
    case Approval:
        if (r.breakGlass) return QStringLiteral("BREAK-GLASS: ") + q(r.reason);
        return r.approver.empty() ? QStringLiteral("—") : QStringLiteral("approved by ") + q(r.approver);
    case Http:
        return r.httpStatus ? QVariant(r.httpStatus) : QVariant(QStringLiteral("—"));
    case Attempts:
        return r.attempts;
    case Detail: {
        if (!r.error.empty()) return q(r.error);
        const QString p = m_progress.value(r.id);
        return p.isEmpty() ? QString() : p;
    }
    }
    return {};
}

QVariant ActionsModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"#", "Action", "Target", "Backend", "State", "Approval", "HTTP", "Tries", "Detail"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace chainsight::views
