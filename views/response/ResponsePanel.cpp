// The Response panel; see ResponsePanel.h.
#include "views/response/ResponsePanel.h"

#include "core/response/Response.h"
#include "views/CaseContext.h"
#include "views/Workbench.h"
#include "views/response/ChecklistPanel.h"
#include "views/response/ClassificationPanel.h"
#include "views/response/ClocksView.h"
#include "views/response/RaciEditor.h"
#include "views/response/ResponseController.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace chainsight::views {

ResponsePanel::ResponsePanel(const Workbench& wb, QWidget* parent)
    : QWidget(parent), m_c(new ResponseController(wb.context, this, wb.analysis))
{
    setObjectName(QStringLiteral("responsePanel"));
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->hide();

    QUndoStack* undo = m_c->undoStack();
    QAction* undoAct = undo->createUndoAction(this, tr("Undo"));
    QAction* redoAct = undo->createRedoAction(this, tr("Redo"));
    undoAct->setShortcut(QKeySequence::Undo);
    redoAct->setShortcut(QKeySequence::Redo);
    undoAct->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    redoAct->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(undoAct);
    addAction(redoAct);
    auto* undoBtn = new QToolButton(this);
    undoBtn->setDefaultAction(undoAct);
    undoBtn->setObjectName(QStringLiteral("responseUndo"));
    auto* redoBtn = new QToolButton(this);
    redoBtn->setDefaultAction(redoAct);
    redoBtn->setObjectName(QStringLiteral("responseRedo"));
    undoBtn->setToolButtonStyle(Qt::ToolButtonTextOnly);
    redoBtn->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(undoBtn);
    top->addWidget(redoBtn);

    m_classification = new ClassificationPanel(m_c, this);
    m_clocks = new ClocksView(m_c, this);
    auto* left = new QWidget(this);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 4, 0);
    ll->addWidget(m_classification);
    ll->addWidget(m_clocks);
    ll->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(380);

    m_checklist = new ChecklistPanel(m_c, wb.context, wb.selection, this);
    m_raci = new RaciEditor(m_c, this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_checklist, tr("Checklist"));
    m_tabs->addTab(m_raci, tr("RACI"));

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({440, 1000});

    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addLayout(top);
    lay->addWidget(m_message);
    lay->addWidget(split, 1);

    connect(m_c, &ResponseController::changed, this, &ResponsePanel::updateTitle);
    connect(m_c, &ResponseController::message, this, [this](const QString& text, bool error) {
        m_message->setText(error ? QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped())
                                 : text.toHtmlEscaped());
        m_message->show();
        QTimer::singleShot(12000, m_message, &QLabel::hide);
    });
    updateTitle();
}

void ResponsePanel::updateTitle()
{
    response::ResponseCase* rc = m_c->responseCase();
    const response::Playbook* pb = rc ? rc->playbook() : nullptr;
    if (!rc) {
        m_title->setText(tr("<b>Response</b> — no case open"));
        return;
    }
    QString t =
        tr("<b>Response</b> — %1").arg(pb ? QString::fromStdString(pb->title).toHtmlEscaped() : tr("no runbook yet"));
    if (rc->state().tier > 0) t += tr(", tier %1").arg(rc->state().tier);
    if (!rc->state().analyst && rc->state().machine)
        t += tr(" <span style='color:#ef6c00'>(machine proposal, not yet confirmed)</span>");
    if (rc->readOnly()) t += tr(" <span style='color:gray'>(read-only)</span>");
    m_title->setText(t);
}

} // namespace chainsight::views
