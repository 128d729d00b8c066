// Clocks and metrics; see ClocksView.h.
#include "views/response/ClocksView.h"

#include "core/response/Response.h"
#include "views/response/ResponseController.h"

#include <QDateTime>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QVBoxLayout>

namespace chainsight::views {

using namespace response;

ClocksView::ClocksView(ResponseController* controller, QWidget* parent)
    : QWidget(parent), m_c(controller), m_timer(new QTimer(this))
{
    auto* box = new QGroupBox(tr("Clocks and metrics"), this);
    m_clocks = new QLabel(box);
    m_clocks->setTextFormat(Qt::RichText);
    m_clocks->setObjectName(QStringLiteral("responseClocks"));
    m_forensics = new QLabel(box);
    m_forensics->setTextFormat(Qt::RichText);
    m_forensics->setWordWrap(true);
    m_euAct = new QLabel(box);
    m_euAct->setTextFormat(Qt::RichText);
    m_euAct->setWordWrap(true);
    auto* grid = new QGridLayout;
    for (Phase p : kPhases) {
        const int r = static_cast<int>(p);
        grid->addWidget(new QLabel(QString::fromStdString(std::string(phaseTitle(p))), box), r, 0);
        auto* bar = new QProgressBar(box);
        bar->setMaximumHeight(16);
        bar->setTextVisible(true);
        m_bars << bar;
        grid->addWidget(bar, r, 1);
    }
    auto* lay = new QVBoxLayout(box);
    lay->addWidget(m_clocks);
    lay->addLayout(grid);
    lay->addWidget(m_forensics);
    lay->addWidget(m_euAct);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(box);
    connect(m_c, &ResponseController::changed, this, &ClocksView::refresh);
    connect(m_timer, &QTimer::timeout, this, &ClocksView::refresh);
    m_timer->start(5000);
    refresh();
}

void ClocksView::refresh()
{
    ResponseCase* rc = m_c->responseCase();
    if (!rc) {
        m_clocks->setText(tr("No case open."));
        m_forensics->clear();
        m_euAct->clear();
        for (auto* b : m_bars)
            b->setValue(0);
        return;
    }
    const Metrics m = rc->metrics(m_c->report(), QDateTime::currentMSecsSinceEpoch());
    auto clock = [](const std::optional<Clock>& c) {
        if (!c || c->elapsedMs < 0) return tr("–");
        const QString d = QString::fromStdString(formatDuration(c->elapsedMs));
        return c->to.empty() ? tr("<span style='color:#ef6c00'><b>%1</b> running</span>").arg(d)
                             : tr("<span style='color:#2e7d32'><b>%1</b> ✓</span>").arg(d);
    };
    m_clocks->setText(tr("<table cellspacing=2>"
                         "<tr><td>Aware since</td><td><b>%1</b> <span style='color:gray'>(%2)</span></td></tr>"
                         "<tr><td>Time to classification&nbsp;</td><td>%3</td></tr>"
                         "<tr><td>Time to containment</td><td>%4</td></tr>"
                         "<tr><td>Checklist</td><td><b>%5 / %6</b> items closed</td></tr></table>")
                          .arg(QString::fromStdString(m.awarenessAt.empty() ? std::string("unknown") : m.awarenessAt),
                               QString::fromStdString(m.awarenessSource), clock(m.toClassification),
                               clock(m.toContainment))
                          .arg(m.itemsClosed)
                          .arg(m.itemsTotal));
    for (int i = 0; i < m_bars.size(); ++i) {
        QProgressBar* b = m_bars[i];
        if (i < int(m.phases.size())) {
            const auto& p = m.phases[i];
            b->setMaximum(std::max(1, p.total));
            b->setValue(p.done + p.notApplicable);
            b->setFormat(QStringLiteral("%1/%2%3%4")
                             .arg(p.done + p.notApplicable)
                             .arg(p.total)
                             .arg(p.closed ? tr("  closed") : QString(),
                                  p.overdue ? tr("  %1 overdue").arg(p.overdue) : QString()));
        } else {
            b->setValue(0);
            b->setFormat(tr("no runbook"));
        }
    }
    QString f = tr("<b>Forensic chain:</b> %1% — preservation %2/%3, custody %4")
                    .arg(int(m.forensicCompleteness * 100 + 0.5))
                    .arg(m.forensicsDone)
                    .arg(m.forensicsTotal)
                    .arg(m.custodyIntact ? tr("intact") : tr("<span style='color:#c62828'>BROKEN</span>"));
    if (m.artifactCompleteness >= 0) f += tr(", evidence artefacts %1%").arg(int(m.artifactCompleteness * 100 + 0.5));
    m_forensics->setText(f);
    if (m.euAiAct.empty()) {
        m_euAct->setText(tr("<span style='color:gray'>EU AI Act Art. 73 clocks: no agent is marked high-risk.</span>"));
    } else {
        QString t = tr("<b>EU AI Act Art. 73</b> (%1 high-risk):")
                        .arg(QString::fromStdString(m.highRiskAgents.front()).toHtmlEscaped());
        for (const auto& c : m.euAiAct) {
            const QString left = c.remainingMs >= 0
                                     ? tr("%1 left").arg(QString::fromStdString(formatDuration(c.remainingMs)))
                                     : tr("<span style='color:#c62828'>%1 overdue</span>")
                                           .arg(QString::fromStdString(formatDuration(-c.remainingMs)));
            t += QStringLiteral("<br>• %1: %2").arg(QString::fromStdString(c.title).toHtmlEscaped(), left);
        }
        m_euAct->setText(t);
    }
}

} // namespace chainsight::views
