// The runbook as an item model; see ChecklistModel.h.
#include "views/response/ChecklistModel.h"

#include "core/model/Time.h"
#include "views/response/ResponseController.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QPalette>

namespace chainsight::views {

using namespace response;

namespace {
// Internal ids: 0 for phase rows, item index + 1 for item rows; the phase is found through the row's parent.
constexpr quintptr kPhaseId = 0;

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

QString shortTime(const std::string& rfc)
{
    auto ns = parseRfc3339(rfc);
    if (!ns) return fromStd(rfc);
    return QDateTime::fromMSecsSinceEpoch(*ns / 1000000, Qt::UTC).toString(QStringLiteral("MMM d HH:mm"));
}
} // namespace

ChecklistModel::ChecklistModel(ResponseController* controller, QObject* parent)
    : QAbstractItemModel(parent), m_c(controller)
{
    connect(m_c, &ResponseController::changed, this, &ChecklistModel::refresh);
    refresh();
}

QString ChecklistModel::stateText(const QString& key)
{
    if (key == QLatin1String("in_progress")) return tr("In progress");
    if (key == QLatin1String("done")) return tr("Done");
    if (key == QLatin1String("not_applicable")) return tr("Not applicable");
    return tr("Open");
}

void ChecklistModel::refresh()
{
    ResponseCase* rc = m_c->responseCase();
    const Playbook* pb = rc ? rc->playbook() : nullptr;
    const QString type = pb ? fromStd(pb->type) : QString();
    std::vector<PhaseRow> rows;
    if (pb) {
        for (Phase p : kPhases) {
            PhaseRow r{static_cast<int>(p), {}};
            for (size_t i = 0; i < pb->items.size(); ++i)
                if (pb->items[i].phase == p) r.items.push_back(static_cast<int>(i));
            rows.push_back(std::move(r));
        }
    }
    // Same runbook: the shape is unchanged, only the cells moved (keeps the view's expansion and selection).
    bool same = type == m_type && rows.size() == m_rows.size();
    for (size_t i = 0; same && i < rows.size(); ++i)
        same = rows[i].items == m_rows[i].items;
    if (same) {
        if (!m_rows.empty()) {
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
            for (size_t i = 0; i < m_rows.size(); ++i)
                if (!m_rows[i].items.empty()) {
                    const QModelIndex p = index(int(i), 0);
                    emit dataChanged(index(0, 0, p), index(int(m_rows[i].items.size()) - 1, ColumnCount - 1, p));
                }
        }
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    m_type = type;
    endResetModel();
}

QModelIndex ChecklistModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount) return {};
    if (!parent.isValid()) return row < int(m_rows.size()) ? createIndex(row, column, kPhaseId) : QModelIndex();
    if (parent.internalId() != kPhaseId || parent.row() >= int(m_rows.size())) return {};
    const auto& items = m_rows[parent.row()].items;
    if (row >= int(items.size())) return {};
    return createIndex(row, column, quintptr(items[row]) + 1);
}

QModelIndex ChecklistModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kPhaseId) return {};
    const int item = int(child.internalId()) - 1;
    for (size_t i = 0; i < m_rows.size(); ++i)
        for (int x : m_rows[i].items)
            if (x == item) return createIndex(int(i), 0, kPhaseId);
    return {};
}

int ChecklistModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) return int(m_rows.size());
    if (parent.column() != 0 || parent.internalId() != kPhaseId) return 0;
    return parent.row() < int(m_rows.size()) ? int(m_rows[parent.row()].items.size()) : 0;
}

int ChecklistModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant ChecklistModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Title:
        return tr("Phase / item");
    case State:
        return tr("State");
    case Owner:
        return tr("Owner");
    case Due:
        return tr("Due (UTC)");
    case Evidence:
        return tr("Evidence");
    case Notes:
        return tr("Notes");
    case Changed:
        return tr("Changed");
    case Mapping:
        return tr("CSF / ATLAS");
    }
    return {};
}

QVariant ChecklistModel::data(const QModelIndex& idx, int role) const
{
    ResponseCase* rc = m_c->responseCase();
    const Playbook* pb = rc ? rc->playbook() : nullptr;
    if (!idx.isValid() || !pb) return {};
    if (idx.internalId() == kPhaseId) {
        const Phase phase = static_cast<Phase>(m_rows[idx.row()].phase);
        if (role == PhaseRole) return m_rows[idx.row()].phase;
        if (role == IsPhaseRole) return true;
        const auto& rows = m_rows[idx.row()].items;
        int closed = 0;
        for (int i : rows) {
            const ItemState s = rc->itemState(pb->items[i].id);
            if (s == ItemState::Done || s == ItemState::NotApplicable) ++closed;
        }
        const auto it = rc->state().phases.find(std::string(phaseKey(phase)));
        const bool isClosed = it != rc->state().phases.end() && it->second.closed;
        if (role == Qt::DisplayRole) {
            if (idx.column() == Title)
                return fromStd(std::string(phaseTitle(phase))) +
                       QStringLiteral("  (%1/%2)").arg(closed).arg(rows.size());
            if (idx.column() == State) {
                if (isClosed) return tr("Closed");
                return rc->gateBlockers(phase).empty() ? tr("Ready to close") : tr("Open");
            }
            if (idx.column() == Changed && isClosed)
                return QStringLiteral("%1, %2").arg(fromStd(it->second.changedBy), shortTime(it->second.changedAt));
        }
        if (role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        if (role == Qt::ToolTipRole && !isClosed) {
            const auto why = rc->gateBlockers(phase);
            if (why.empty()) return tr("Every gate item is met: the phase can be closed.");
            QString t = tr("Cannot close yet:");
            for (const auto& w : why)
                t += QStringLiteral("\n• ") + fromStd(w);
            return t;
        }
        if (role == Qt::ForegroundRole && idx.column() == State)
            return QBrush(isClosed                          ? QColor(0x2e, 0x7d, 0x32)
                          : rc->gateBlockers(phase).empty() ? QColor(0x15, 0x65, 0xc0)
                                                            : QColor(0x9e, 0x9e, 0x9e));
        return {};
    }
    const PlaybookItem& item = pb->items[idx.internalId() - 1];
    const auto rec = rc->item(item.id);
    const QString state = fromStd(std::string(itemStateKey(rc->itemState(item.id))));
    switch (role) {
    case ItemIdRole:
        return fromStd(item.id);
    case PhaseRole:
        return static_cast<int>(item.phase);
    case IsPhaseRole:
        return false;
    case StateKeyRole:
        return state;
    case GateRole:
        return item.gate;
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (idx.column()) {
        case Title:
            return fromStd(item.title) + (item.gate && role == Qt::DisplayRole ? tr("  [gate]") : QString());
        case State:
            return role == Qt::EditRole ? state : stateText(state);
        case Owner:
            return fromStd(rec.owner);
        case Due: {
            const std::string due = rc->effectiveDue(item);
            return role == Qt::EditRole ? fromStd(rec.due) : (due.empty() ? QString() : shortTime(due));
        }
        case Evidence: {
            QStringList l;
            for (const auto& e : rec.events)
                l << fromStd(e);
            return l.join(QStringLiteral(", "));
        }
        case Notes:
            return fromStd(rec.notes);
        case Changed:
            return rec.changedBy.empty()
                       ? QString()
                       : QStringLiteral("%1, %2").arg(fromStd(rec.changedBy), shortTime(rec.changedAt));
        case Mapping: {
            QString m = fromStd(item.csf) + QStringLiteral(" ") + fromStd(std::string(csfFunction(item.csf)));
            if (!item.atlas.empty()) m += QStringLiteral(" · ") + fromStd(item.atlas);
            return m;
        }
        }
        return {};
    case Qt::CheckStateRole:
        if (idx.column() == Title)
            return state == QLatin1String("done")          ? Qt::Checked
                   : state == QLatin1String("in_progress") ? Qt::PartiallyChecked
                                                           : Qt::Unchecked;
        return {};
    case Qt::ToolTipRole: {
        QString t = QStringLiteral("<b>%1</b>").arg(fromStd(item.title).toHtmlEscaped());
        if (!item.detail.empty()) t += QStringLiteral("<br>") + fromStd(item.detail).toHtmlEscaped();
        t += QStringLiteral("<br>%1 · NIST CSF 2.0 %2 (%3)")
                 .arg(fromStd(std::string(itemKindKey(item.kind))), fromStd(item.csf),
                      fromStd(std::string(csfFunction(item.csf))));
        if (!item.atlas.empty()) t += QStringLiteral(" · MITRE ATLAS %1").arg(fromStd(item.atlas));
        if (item.gate)
            t += tr("<br><i>Gate: must be done (or not applicable with a note) before the phase closes.</i>");
        return t;
    }
    case Qt::ForegroundRole: {
        if (state == QLatin1String("not_applicable")) return QBrush(QColor(0x9e, 0x9e, 0x9e));
        if (idx.column() == Due && state != QLatin1String("done")) {
            const std::string due = rc->effectiveDue(item);
            auto ns = parseRfc3339(due);
            if (ns && *ns / 1000000 < QDateTime::currentMSecsSinceEpoch()) return QBrush(QColor(0xc6, 0x28, 0x28));
        }
        if (idx.column() == State) {
            if (state == QLatin1String("done")) return QBrush(QColor(0x2e, 0x7d, 0x32));
            if (state == QLatin1String("in_progress")) return QBrush(QColor(0xef, 0x6c, 0x00));
        }
        return {};
    }
    case Qt::FontRole:
        if (state == QLatin1String("not_applicable") && idx.column() == Title) {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        return {};
    }
    return {};
}

Qt::ItemFlags ChecklistModel::flags(const QModelIndex& idx) const
{
    if (!idx.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (idx.internalId() == kPhaseId) return f;
    if (idx.column() == Title) f |= Qt::ItemIsUserCheckable;
    if (idx.column() == State || idx.column() == Owner || idx.column() == Due || idx.column() == Notes)
        f |= Qt::ItemIsEditable;
    return f;
}

bool ChecklistModel::setData(const QModelIndex& idx, const QVariant& value, int role)
{
    ResponseCase* rc = m_c->responseCase();
    const Playbook* pb = rc ? rc->playbook() : nullptr;
    if (!idx.isValid() || !pb || idx.internalId() == kPhaseId) return false;
    const PlaybookItem& item = pb->items[idx.internalId() - 1];
    auto rec = rc->item(item.id);
    std::string label;
    if (role == Qt::CheckStateRole && idx.column() == Title) {
        rec.state = value.toInt() == Qt::Checked ? "done" : "open";
        label = (rec.state == "done" ? "Tick '" : "Untick '") + item.title + "'";
    } else if (role == Qt::EditRole) {
        const std::string v = value.toString().trimmed().toStdString();
        switch (idx.column()) {
        case State:
            if (v == rec.state) return false;
            rec.state = v;
            label = "Mark '" + item.title + "' " + ChecklistModel::stateText(value.toString()).toLower().toStdString();
            break;
        case Owner:
            if (v == rec.owner) return false;
            rec.owner = v;
            label = "Assign '" + item.title + "' to " + v;
            break;
        case Due: {
            if (v == rec.due) return false;
            std::string due = v;
            if (!v.empty() && !parseRfc3339(v)) {
                // Accept "2026-05-06 14:00" as UTC too.
                const QDateTime dt =
                    QDateTime::fromString(value.toString().trimmed(), QStringLiteral("yyyy-MM-dd HH:mm"));
                if (dt.isValid())
                    due = formatRfc3339(QDateTime(dt.date(), dt.time(), Qt::UTC).toMSecsSinceEpoch() * 1000000LL);
            }
            rec.due = due;
            label = "Set due time of '" + item.title + "'";
            break;
        }
        case Notes:
            if (v == rec.notes) return false;
            rec.notes = v;
            label = "Note on '" + item.title + "'";
            break;
        default:
            return false;
        }
    } else {
        return false;
    }
    return m_c->perform(rc->updateItem(rec, label));
}

QModelIndex ChecklistModel::indexOfItem(const QString& id, int column) const
{
    ResponseCase* rc = m_c->responseCase();
    const Playbook* pb = rc ? rc->playbook() : nullptr;
    if (!pb) return {};
    for (size_t r = 0; r < m_rows.size(); ++r)
        for (size_t i = 0; i < m_rows[r].items.size(); ++i)
            if (fromStd(pb->items[m_rows[r].items[i]].id) == id) return index(int(i), column, index(int(r), 0));
    return {};
}

} // namespace chainsight::views
