// The RACI matrix editor; see RaciEditor.h.
#include "views/response/RaciEditor.h"

#include "core/response/Response.h"
#include "views/response/RaciModel.h"
#include "views/response/ResponseController.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace chainsight::views {

using namespace response;

namespace {
class RaciDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override
    {
        auto* box = new QComboBox(parent);
        box->addItem(QStringLiteral("–"), QString());
        for (const char* v : {"R", "A", "C", "I"})
            box->addItem(QString::fromLatin1(v), QString::fromLatin1(v));
        return box;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        auto* box = static_cast<QComboBox*>(editor);
        box->setCurrentIndex(std::max(0, box->findData(index.data(Qt::EditRole).toString())));
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override
    {
        model->setData(index, static_cast<QComboBox*>(editor)->currentData(), Qt::EditRole);
    }
};
} // namespace

RaciEditor::RaciEditor(ResponseController* controller, QWidget* parent)
    : QWidget(parent), m_c(controller), m_model(new RaciModel(controller, this))
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("raciTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new RaciDelegate(m_table));
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultSectionSize(92);
    m_table->verticalHeader()->setDefaultSectionSize(24);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    auto* add = new QPushButton(tr("Add Role…"), this);
    auto* rename = new QPushButton(tr("Rename Role…"), this);
    auto* remove = new QPushButton(tr("Remove Role…"), this);
    auto* item = new QPushButton(tr("Add Item Row…"), this);
    item->setToolTip(tr("Give a single checklist item its own RACI row."));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {add, rename, remove, item})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_table, 1);
    lay->addWidget(m_summary);
    lay->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, &RaciEditor::addRole);
    connect(rename, &QPushButton::clicked, this, &RaciEditor::renameRole);
    connect(remove, &QPushButton::clicked, this, &RaciEditor::removeRole);
    connect(item, &QPushButton::clicked, this, &RaciEditor::addItemActivity);
    connect(m_c, &ResponseController::changed, this, &RaciEditor::updateSummary);
    updateSummary();
}

void RaciEditor::updateSummary()
{
    ResponseCase* rc = m_c->responseCase();
    if (!rc) {
        m_summary->clear();
        return;
    }
    const auto probs = rc->raciProblems();
    if (probs.empty()) {
        m_summary->setText(
            tr("<span style='color:#2e7d32'>Every activity has exactly one A and at least one R.</span>"));
        return;
    }
    m_summary->setText(tr("<span style='color:#c62828'><b>%n RACI problem(s)</b></span> — see the last column.",
                          nullptr, int(probs.size())));
}

void RaciEditor::addRole()
{
    ResponseCase* rc = m_c->responseCase();
    if (!rc) return;
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Add Role"), tr("Role name:"), QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || name.isEmpty()) return;
    QString id = name.toLower();
    id.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_"));
    auto roles = rc->state().roles;
    roles.push_back({id.toStdString(), name.toStdString()});
    m_c->perform(rc->setRoles(roles));
}

void RaciEditor::renameRole()
{
    ResponseCase* rc = m_c->responseCase();
    const QModelIndex idx = m_table->currentIndex();
    if (!rc || !idx.isValid() || idx.column() >= int(rc->state().roles.size())) return;
    auto roles = rc->state().roles;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Role"), tr("New name:"), QLineEdit::Normal,
                                               QString::fromStdString(roles[idx.column()].name), &ok)
                             .trimmed();
    if (!ok || name.isEmpty()) return;
    roles[idx.column()].name = name.toStdString();
    m_c->perform(rc->setRoles(roles));
}

void RaciEditor::removeRole()
{
    ResponseCase* rc = m_c->responseCase();
    const QModelIndex idx = m_table->currentIndex();
    if (!rc || !idx.isValid() || idx.column() >= int(rc->state().roles.size())) return;
    auto roles = rc->state().roles;
    roles.erase(roles.begin() + idx.column());
    m_c->perform(rc->setRoles(roles));
}

void RaciEditor::addItemActivity()
{
    ResponseCase* rc = m_c->responseCase();
    if (!rc || !rc->playbook() || rc->state().roles.empty()) return;
    QStringList titles;
    std::vector<std::string> ids;
    for (const auto& i : rc->playbook()->items) {
        titles << QStringLiteral("%1 — %2").arg(QString::fromStdString(std::string(phaseTitle(i.phase))),
                                                QString::fromStdString(i.title));
        ids.push_back(i.id);
    }
    bool ok = false;
    const QString pick = QInputDialog::getItem(this, tr("Add Item Row"), tr("Item:"), titles, 0, false, &ok);
    if (!ok) return;
    const std::string id = ids[size_t(titles.indexOf(pick))];
    // The item's usual owner is responsible; the analyst completes the row.
    const PlaybookItem* item = rc->library().item(id);
    std::string role = item ? item->role : rc->state().roles.front().id;
    m_c->perform(rc->setRaci(id, role, 'R'));
}

} // namespace chainsight::views
