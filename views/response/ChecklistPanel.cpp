// The checklist panel; see ChecklistPanel.h.
#include "views/response/ChecklistPanel.h"

#include "core/response/Response.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/response/ChecklistModel.h"
#include "views/response/ResponseController.h"

#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace chainsight::views {

using namespace response;

namespace {
// State: a combo box; Owner: free text completed from the case's role names.
class ChecklistDelegate : public QStyledItemDelegate
{
public:
    ChecklistDelegate(ResponseController* c, QObject* parent) : QStyledItemDelegate(parent), m_c(c) {}
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        if (index.column() == ChecklistModel::State) {
            auto* box = new QComboBox(parent);
            for (const char* k : {"open", "in_progress", "done", "not_applicable"})
                box->addItem(ChecklistModel::stateText(QString::fromLatin1(k)), QString::fromLatin1(k));
            return box;
        }
        QWidget* w = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto* line = qobject_cast<QLineEdit*>(w)) {
            if (index.column() == ChecklistModel::Owner && m_c->responseCase()) {
                QStringList names;
                for (const auto& r : m_c->responseCase()->state().roles)
                    names << QString::fromStdString(r.name);
                auto* comp = new QCompleter(names, line);
                comp->setCaseSensitivity(Qt::CaseInsensitive);
                line->setCompleter(comp);
            }
            if (index.column() == ChecklistModel::Due) line->setPlaceholderText(QStringLiteral("2026-05-06T14:00:00Z"));
        }
        return w;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        if (auto* box = qobject_cast<QComboBox*>(editor)) {
            box->setCurrentIndex(std::max(0, box->findData(index.data(Qt::EditRole))));
            return;
        }
        QStyledItemDelegate::setEditorData(editor, index);
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override
    {
        if (auto* box = qobject_cast<QComboBox*>(editor)) {
            model->setData(index, box->currentData(), Qt::EditRole);
            return;
        }
        QStyledItemDelegate::setModelData(editor, model, index);
    }

private:
    ResponseController* m_c;
};
} // namespace

ChecklistPanel::ChecklistPanel(ResponseController* controller, CaseContext* context, EventSelection* selection,
                               QWidget* parent)
    : QWidget(parent), m_c(controller), m_context(context), m_selection(selection),
      m_model(new ChecklistModel(controller, this))
{
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("checklistTree"));
    m_tree->setModel(m_model);
    m_tree->setItemDelegate(new ChecklistDelegate(controller, m_tree));
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::SelectedClicked);
    // The item's title keeps a readable width and the last column takes what is left: a stretched title shrank to
    // a few letters ("Tria…") when the dock was narrower than the other columns together.
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(ChecklistModel::Title, 320);
    m_tree->setColumnWidth(ChecklistModel::State, 105);
    m_tree->setColumnWidth(ChecklistModel::Owner, 130);
    m_tree->setColumnWidth(ChecklistModel::Due, 95);
    m_tree->setColumnWidth(ChecklistModel::Evidence, 95);
    m_tree->setColumnWidth(ChecklistModel::Notes, 140);
    m_tree->setColumnWidth(ChecklistModel::Changed, 120);
    m_tree->setColumnWidth(ChecklistModel::Mapping, 150);
    m_tree->expandAll();
    connect(m_model, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);

    m_why = new QLabel(this);
    m_why->setWordWrap(true);
    m_why->setObjectName(QStringLiteral("gateExplanation"));
    m_close = new QPushButton(tr("Close Phase"), this);
    m_close->setObjectName(QStringLiteral("closePhase"));
    m_link = new QPushButton(tr("Link Selected Event"), this);
    m_link->setToolTip(tr("Link the event selected in the graph, table or timeline to this item as evidence."));
    m_unlink = new QPushButton(tr("Unlink Evidence"), this);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_close);
    buttons->addWidget(m_link);
    buttons->addWidget(m_unlink);
    buttons->addStretch(1);
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_tree, 1);
    lay->addWidget(m_why);
    lay->addLayout(buttons);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ChecklistPanel::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ChecklistPanel::updateActions);
    connect(m_c, &ResponseController::changed, this, &ChecklistPanel::updateActions);
    if (m_selection) connect(m_selection, &EventSelection::changed, this, &ChecklistPanel::updateActions);
    connect(m_close, &QPushButton::clicked, this, &ChecklistPanel::closePhase);
    connect(m_link, &QPushButton::clicked, this, &ChecklistPanel::linkSelectedEvent);
    connect(m_unlink, &QPushButton::clicked, this, [this] {
        ResponseCase* rc = m_c->responseCase();
        const QString id = currentItem();
        if (!rc || id.isEmpty()) return;
        auto rec = rc->item(id.toStdString());
        if (rec.events.empty()) return;
        rec.events.pop_back();
        m_c->perform(rc->updateItem(rec, "Unlink evidence from an item"));
    });
    // A double click on the evidence column selects the linked event everywhere.
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex& idx) {
        if (idx.column() != ChecklistModel::Evidence || !m_context || !m_context->queries() || !m_selection) return;
        const QString ev = idx.data().toString().section(QLatin1Char(','), 0, 0).trimmed();
        if (ev.isEmpty()) return;
        if (auto row = m_context->queries()->findEvent(ev.toStdString()); row && *row) m_selection->select(*row, this);
    });
    updateActions();
}

int ChecklistPanel::currentPhase() const
{
    const QModelIndex idx = m_tree->currentIndex();
    return idx.isValid() ? idx.data(ChecklistModel::PhaseRole).toInt() : -1;
}

QString ChecklistPanel::currentItem() const
{
    const QModelIndex idx = m_tree->currentIndex();
    return idx.isValid() ? idx.siblingAtColumn(0).data(ChecklistModel::ItemIdRole).toString() : QString();
}

void ChecklistPanel::updateActions()
{
    ResponseCase* rc = m_c->responseCase();
    const int phase = currentPhase();
    m_link->setEnabled(rc && !currentItem().isEmpty() && m_selection && m_selection->current() > 0);
    m_unlink->setEnabled(rc && !currentItem().isEmpty() && !rc->item(currentItem().toStdString()).events.empty());
    if (!rc || !rc->playbook()) {
        m_close->setEnabled(false);
        m_why->setText(
            rc ? tr("No incident type decided yet: confirm or override the machine's proposal to open the runbook.")
               : QString());
        return;
    }
    if (phase < 0) {
        m_close->setEnabled(false);
        m_close->setText(tr("Close Phase"));
        m_why->setText(
            tr("Select a phase or an item. Tick items, double-click a cell to set state, owner, due time or notes."));
        return;
    }
    const Phase p = static_cast<Phase>(phase);
    const auto it = rc->state().phases.find(std::string(phaseKey(p)));
    const bool closed = it != rc->state().phases.end() && it->second.closed;
    const QString title = QString::fromStdString(std::string(phaseTitle(p)));
    m_close->setText(closed ? tr("Reopen %1").arg(title) : tr("Close %1").arg(title));
    const auto why = closed ? std::vector<std::string>{} : rc->gateBlockers(p);
    m_close->setEnabled(closed || why.empty());
    if (closed) {
        m_why->setText(tr("%1 was closed by %2 at %3.")
                           .arg(title, QString::fromStdString(it->second.changedBy),
                                QString::fromStdString(it->second.changedAt)));
    } else if (why.empty()) {
        m_why->setText(tr("%1: every gate item is met; the phase can be closed.").arg(title));
    } else {
        QStringList l;
        for (const auto& w : why)
            l << QString::fromStdString(w);
        m_why->setText(tr("<b>%1 cannot close yet:</b> %2").arg(title, l.join(QStringLiteral("; ")).toHtmlEscaped()));
    }
}

void ChecklistPanel::closePhase()
{
    ResponseCase* rc = m_c->responseCase();
    const int phase = currentPhase();
    if (!rc || phase < 0) return;
    const Phase p = static_cast<Phase>(phase);
    const auto it = rc->state().phases.find(std::string(phaseKey(p)));
    const bool closed = it != rc->state().phases.end() && it->second.closed;
    m_c->perform(rc->setPhaseClosed(p, !closed));
}

void ChecklistPanel::linkSelectedEvent()
{
    ResponseCase* rc = m_c->responseCase();
    const QString id = currentItem();
    if (!rc || id.isEmpty() || !m_selection || !m_context || !m_context->queries()) return;
    auto ev = m_context->queries()->event(m_selection->current());
    if (!ev || !*ev) return;
    auto rec = rc->item(id.toStdString());
    if (std::find(rec.events.begin(), rec.events.end(), (*ev)->id) != rec.events.end()) return;
    rec.events.push_back((*ev)->id);
    m_c->perform(rc->updateItem(rec, "Link " + (*ev)->id + " as evidence"));
}

} // namespace chainsight::views
