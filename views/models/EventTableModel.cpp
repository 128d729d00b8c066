// Windowed paging over the ordered rowids of a filter; see EventTableModel.h.
#include "views/models/EventTableModel.h"

#include "views/CaseContext.h"
#include "views/Theme.h"

#include <QElapsedTimer>
#include <QFont>
#include <QFutureWatcher>

namespace chainsight::views {

EventTableModel::EventTableModel(CaseContext* context, QObject* parent) : QAbstractTableModel(parent), m_context(context)
{
    connect(context, &CaseContext::opened, this, [this] { refresh(true); });
    connect(context, &CaseContext::reloaded, this, [this] { refresh(true); });
    connect(context, &CaseContext::closed, this, [this] { apply({}, 0); });
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(std::min<size_t>(m_ids.size(), INT_MAX));
}

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

const store::EventRow* EventTableModel::rowData(int row) const
{
    if (row < 0 || row >= rowCount() || !m_context->queries()) return nullptr;
    const int page = row / kPage;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        const size_t from = static_cast<size_t>(page) * kPage;
        const size_t to = std::min(m_ids.size(), from + kPage);
        std::vector<int64_t> ids(m_ids.begin() + static_cast<ptrdiff_t>(from), m_ids.begin() + static_cast<ptrdiff_t>(to));
        auto rows = m_context->queries()->rows(ids);
        std::vector<store::EventRow> pageRows;
        if (rows && rows->size() == ids.size()) pageRows = std::move(*rows);
        else pageRows.resize(ids.size()); // vanished rows (should not happen: cases only grow) show empty
        it = m_pages.insert(page, std::move(pageRows));
        m_lru.push_front(page);
        while (m_lru.size() > 64) {
            m_pages.remove(m_lru.back());
            m_lru.pop_back();
        }
    }
    const auto& rows = it.value();
    const size_t at = static_cast<size_t>(row % kPage);
    return at < rows.size() ? &rows[at] : nullptr;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    if (role == RowidRole) return QVariant::fromValue<qint64>(m_ids[static_cast<size_t>(index.row())]);
    const store::EventRow* r = rowData(index.row());
    if (!r) return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return timeShort(r->tsNs);
        case Type:
            return typeName(r->type);
        case Agent:
            return fromStd(r->agent);
        case Session:
            return fromStd(r->session);
        case Identity:
            return fromStd(r->identity);
        case Decision:
            return verdictText(r->verdict);
        case Summary:
            return fromStd(r->summary);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Time) return timeLong(r->tsNs);
        if (index.column() == Summary) return fromStd(r->summary);
        return QStringLiteral("%1 · %2").arg(fromStd(r->eid), typeName(r->type));
    case Qt::ForegroundRole:
        if (index.column() == Type) return typeColor(r->type);
        if (index.column() == Decision && r->verdict != Verdict::Unknown) return verdictColor(r->verdict);
        return {};
    case Qt::BackgroundRole:
        if (r->verdict == Verdict::Block) return soften(verdictColor(Verdict::Block), 0.82);
        return {};
    case Qt::FontRole:
        if (index.column() == Decision && (r->verdict == Verdict::Block || r->verdict == Verdict::Constrain)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case TimestampRole:
        return QVariant::fromValue<qint64>(r->tsNs);
    case TypeRole:
        return static_cast<int>(r->type);
    case VerdictRole:
        return static_cast<int>(r->verdict);
    case EventIdRole:
        return fromStd(r->eid);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case Type:
        return tr("Type");
    case Agent:
        return tr("Agent");
    case Session:
        return tr("Session");
    case Identity:
        return tr("Identity");
    case Decision:
        return tr("Decision");
    case Summary:
        return tr("Summary");
    }
    return {};
}

void EventTableModel::sort(int column, Qt::SortOrder order)
{
    static const store::SortKey keys[] = {store::SortKey::Time, store::SortKey::Type, store::SortKey::Agent, store::SortKey::Session,
                                          store::SortKey::Identity, store::SortKey::Decision, store::SortKey::Summary};
    if (column < 0 || column >= ColumnCount) return;
    store::EventSort s{keys[column], order == Qt::DescendingOrder};
    if (s == m_sort) return;
    m_sort = s;
    refresh();
}

void EventTableModel::setFilter(const store::EventFilter& filter)
{
    if (filter == m_filter) return;
    m_filter = filter;
    refresh();
}

int EventTableModel::rowOf(int64_t rowid) const
{
    if (!m_rowOfValid) {
        m_rowOf.clear();
        m_rowOf.reserve(static_cast<qsizetype>(m_ids.size()));
        for (size_t i = 0; i < m_ids.size(); ++i) m_rowOf.insert(m_ids[i], static_cast<int>(i));
        m_rowOfValid = true;
    }
    return m_rowOf.value(rowid, -1);
}

int64_t EventTableModel::rowidAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_ids[static_cast<size_t>(row)] : 0;
}

void EventTableModel::refresh(bool synchronous)
{
    const int gen = ++m_generation;
    if (!m_context->isOpen()) {
        apply({}, 0);
        return;
    }
    auto index = m_context->index();
    // Without the index, a small case or the first paint asks SQL directly on this thread.
    if (synchronous || (!index && m_context->eventCount() < 20000)) {
        QElapsedTimer t;
        t.start();
        auto ids = m_context->queries()->orderedIds(m_filter, m_sort, index.get());
        if (!ids) {
            emit queryFailed(ids.error().toString());
            apply({}, t.elapsed());
            return;
        }
        apply(std::move(*ids), t.elapsed());
        return;
    }
    if (!m_busy) {
        m_busy = true;
        emit busyChanged(true);
    }
    const store::EventFilter f = m_filter;
    const store::EventSort s = m_sort;
    auto* watcher = new QFutureWatcher<Result<std::vector<int64_t>>>(this);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen, timer] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        m_busy = false;
        emit busyChanged(false);
        auto r = watcher->result();
        if (!r) {
            emit queryFailed(r.error().toString());
            return;
        }
        apply(std::move(*r), timer->elapsed());
    });
    watcher->setFuture(m_context->runQuery<std::vector<int64_t>>(
        [f, s, index](store::CaseQueries& q) { return q.orderedIds(f, s, index.get()); }));
}

void EventTableModel::apply(std::vector<int64_t> ids, qint64 ms)
{
    beginResetModel();
    m_ids = std::move(ids);
    m_pages.clear();
    m_lru.clear();
    m_rowOfValid = false;
    m_rowOf.clear();
    m_lastMs = ms;
    endResetModel();
    emit refreshed(static_cast<qint64>(m_ids.size()));
}

} // namespace chainsight::views
