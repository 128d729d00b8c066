// Table + filter bar wiring; see EventTableView.h.
#include "views/EventTableView.h"

#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/FilterBar.h"
#include "views/models/EventTableModel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace chainsight::views {

EventTableView::EventTableView(CaseContext* context, EventSelection* selection, QWidget* parent)
    : QWidget(parent), m_context(context), m_selection(selection)
{
    m_model = new EventTableModel(context, this);
    m_filterBar = new FilterBar(context, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(EventTableModel::Time, Qt::AscendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_table->setColumnWidth(EventTableModel::Time, m_table->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + em * 2);
    m_table->setColumnWidth(EventTableModel::Type, em * 8);
    m_table->setColumnWidth(EventTableModel::Agent, em * 8);
    m_table->setColumnWidth(EventTableModel::Session, em * 8);
    m_table->setColumnWidth(EventTableModel::Identity, em * 9);
    m_table->setColumnWidth(EventTableModel::Decision, em * 6);
    m_table->horizontalHeader()->setMinimumSectionSize(em * 3);

    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addWidget(m_filterBar);
    lay->addWidget(m_table);

    connect(m_filterBar, &FilterBar::filterChanged, m_model, &EventTableModel::setFilter);
    connect(m_model, &EventTableModel::busyChanged, this, [this] { updateCount(); });
    connect(m_model, &EventTableModel::refreshed, this, [this] {
        updateCount();
        followSelection(m_selection->current(), nullptr);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
        if (cur.isValid()) m_selection->select(m_model->rowidAt(cur.row()), this);
    });
    connect(selection, &EventSelection::changed, this, &EventTableView::followSelection);
}

void EventTableView::followSelection(qint64 rowid, QObject* source)
{
    if (source == this) return;
    const int row = rowid ? m_model->rowOf(rowid) : -1;
    QSignalBlocker block(m_table->selectionModel());
    if (row < 0) {
        m_table->selectionModel()->clearSelection();
        m_table->selectionModel()->setCurrentIndex(QModelIndex(), QItemSelectionModel::NoUpdate);
        m_table->viewport()->update();
        return;
    }
    const QModelIndex idx = m_model->index(row, EventTableModel::Summary);
    m_table->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(idx, QAbstractItemView::EnsureVisible);
    // A table not laid out yet cannot scroll: do it again once it is.
    QTimer::singleShot(0, m_table, [t = m_table, idx = QPersistentModelIndex(idx)] {
        if (idx.isValid()) t->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    });
    m_table->viewport()->update();
}

void EventTableView::updateCount()
{
    m_filterBar->setResultCount(m_model->rowCount(), m_context->eventCount(), m_model->isBusy(), m_model->lastQueryMs());
}

} // namespace chainsight::views
