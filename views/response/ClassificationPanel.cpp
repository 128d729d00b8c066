// The classification decision and the containment ladder; see ClassificationPanel.h.
#include "views/response/ClassificationPanel.h"

#include "core/response/Response.h"
#include "views/Theme.h"
#include "views/response/ResponseController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace chainsight::views {

using namespace response;

namespace {
QString rungTitle(const std::string& r)
{
    if (r == "soft_quarantine") return QObject::tr("Soft quarantine");
    if (r == "monitor") return QObject::tr("Monitor");
    if (r == "revoke") return QObject::tr("Revoke");
    if (r == "kill") return QObject::tr("Kill");
    return QString::fromStdString(r);
}
} // namespace

ClassificationPanel::ClassificationPanel(ResponseController* controller, QWidget* parent)
    : QWidget(parent), m_c(controller)
{
    auto* decision = new QGroupBox(tr("Classification decision"), this);
    m_machine = new QLabel(decision);
    m_machine->setWordWrap(true);
    m_machine->setTextFormat(Qt::RichText);
    m_decision = new QLabel(decision);
    m_decision->setWordWrap(true);
    m_decision->setTextFormat(Qt::RichText);
    m_type = new QComboBox(decision);
    m_type->setObjectName(QStringLiteral("classificationType"));
    for (const char* t : {"reasoning_compromise", "privilege_boundary_escape", "runtime_execution_escape", "none"})
        m_type->addItem(incidentTypeTitle(t), QString::fromLatin1(t));
    m_tier = new QSpinBox(decision);
    m_tier->setRange(1, 3);
    m_tier->setPrefix(tr("Tier "));
    m_reason = new QLineEdit(decision);
    m_reason->setObjectName(QStringLiteral("classificationReason"));
    m_reason->setPlaceholderText(tr("Why (required): the evidence that confirms or changes it"));
    m_submit = new QPushButton(tr("Confirm"), decision);
    m_submit->setObjectName(QStringLiteral("classificationSubmit"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_type, 1);
    row->addWidget(m_tier);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(m_reason, 1);
    row2->addWidget(m_submit);
    auto* dl = new QVBoxLayout(decision);
    dl->addWidget(m_machine);
    dl->addLayout(row);
    dl->addLayout(row2);
    dl->addWidget(m_decision);

    auto* ladder = new QGroupBox(tr("Tier and containment ladder"), this);
    m_ladder = new QLabel(ladder);
    m_ladder->setWordWrap(true);
    m_ladder->setTextFormat(Qt::RichText);
    m_criticality = new QComboBox(ladder);
    m_criticality->addItem(tr("from agents.json"), QString());
    for (const char* c : {"customer-facing", "internal", "batch"})
        m_criticality->addItem(QString::fromLatin1(c), QString::fromLatin1(c));
    m_highRisk = new QCheckBox(tr("High-risk AI system (EU AI Act)"), ladder);
    auto* prof = new QHBoxLayout;
    prof->addWidget(new QLabel(tr("Criticality:"), ladder));
    prof->addWidget(m_criticality);
    prof->addWidget(m_highRisk);
    prof->addStretch(1);
    auto* ll = new QVBoxLayout(ladder);
    ll->addLayout(prof);
    ll->addWidget(m_ladder);

    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(decision);
    lay->addWidget(ladder);

    connect(m_submit, &QPushButton::clicked, this, &ClassificationPanel::submit);
    connect(m_reason, &QLineEdit::returnPressed, this, &ClassificationPanel::submit);
    connect(m_reason, &QLineEdit::textChanged, this, &ClassificationPanel::updateButton);
    connect(m_type, &QComboBox::currentIndexChanged, this, &ClassificationPanel::updateButton);
    connect(m_tier, &QSpinBox::valueChanged, this, &ClassificationPanel::updateButton);
    auto profile = [this] {
        ResponseCase* rc = m_c->responseCase();
        if (m_updating || !rc) return;
        const LadderProposal lp = rc->ladder(m_c->report());
        if (lp.agent.empty()) return;
        auto it = rc->state().agentProfiles.find(lp.agent);
        const std::string crit = m_criticality->currentData().toString().toStdString();
        std::optional<bool> hr = m_highRisk->isChecked();
        if (!m_highRisk->isChecked() && !rc->highRisk(lp.agent) &&
            (it == rc->state().agentProfiles.end() || !it->second.highRisk))
            hr.reset();
        m_c->perform(rc->setAgentProfile(lp.agent, crit, hr));
    };
    connect(m_criticality, &QComboBox::currentIndexChanged, this, profile);
    connect(m_highRisk, &QCheckBox::toggled, this, profile);
    connect(m_c, &ResponseController::changed, this, &ClassificationPanel::refresh);
    refresh();
}

void ClassificationPanel::decide(const QString& type, int tier, const QString& reason)
{
    m_type->setCurrentIndex(std::max(0, m_type->findData(type)));
    m_tier->setValue(tier);
    m_reason->setText(reason);
    submit();
}

void ClassificationPanel::submit()
{
    ResponseCase* rc = m_c->responseCase();
    if (!rc) return;
    if (m_c->perform(rc->classify(m_type->currentData().toString().toStdString(), m_tier->value(),
                                  m_reason->text().trimmed().toStdString())))
        m_reason->clear();
}

void ClassificationPanel::updateButton()
{
    ResponseCase* rc = m_c->responseCase();
    const auto& machine = rc ? rc->state().machine : std::nullopt;
    const bool same =
        machine && machine->type == m_type->currentData().toString().toStdString() && machine->tier == m_tier->value();
    m_submit->setText(same ? tr("Confirm") : tr("Override"));
    m_submit->setEnabled(rc && !rc->readOnly() && !m_reason->text().trimmed().isEmpty());
    m_submit->setToolTip(m_reason->text().trimmed().isEmpty() ? tr("Give a reason first.") : QString());
}

void ClassificationPanel::refresh()
{
    m_updating = true;
    ResponseCase* rc = m_c->responseCase();
    setEnabled(rc != nullptr);
    if (!rc) {
        m_machine->setText(m_c->libraryError().isEmpty()
                               ? tr("No case open.")
                               : tr("Playbooks not loaded: %1").arg(m_c->libraryError().toHtmlEscaped()));
        m_decision->clear();
        m_ladder->clear();
        m_updating = false;
        return;
    }
    const auto& st = rc->state();
    if (st.machine) {
        QString reasons;
        if (const auto* rep = m_c->report())
            for (size_t i = 0; i < rep->rationale.size() && i < 3; ++i)
                reasons += QStringLiteral("<br>• %1 <span style='color:gray'>(%2)</span>")
                               .arg(QString::fromStdString(rep->rationale[i].why).toHtmlEscaped(),
                                    QString::fromStdString(rep->rationale[i].event).toHtmlEscaped());
        m_machine->setText(tr("<b>Machine proposal:</b> %1, tier %2, confidence %3%4")
                               .arg(incidentTypeTitle(st.machine->type))
                               .arg(st.machine->tier)
                               .arg(st.machine->confidence >= 0 ? QString::number(st.machine->confidence, 'f', 2)
                                                                : QStringLiteral("–"))
                               .arg(reasons));
    } else {
        m_machine->setText(m_c->analysisRunning() ? tr("<b>Machine proposal:</b> analysing the case…")
                                                  : tr("<b>Machine proposal:</b> none recorded"));
    }
    if (st.analyst) {
        const bool confirm = st.machine && st.machine->type == st.analyst->type && st.machine->tier == st.analyst->tier;
        m_decision->setText(tr("<b>%1 by %2</b> at %3: %4, tier %5<br><i>“%6”</i>")
                                .arg(confirm ? tr("Confirmed") : tr("Overridden"),
                                     QString::fromStdString(st.analyst->actor).toHtmlEscaped(),
                                     QString::fromStdString(st.analyst->ts), incidentTypeTitle(st.analyst->type))
                                .arg(st.analyst->tier)
                                .arg(QString::fromStdString(st.analyst->reason).toHtmlEscaped()));
    } else {
        m_decision->setText(tr("<span style='color:#ef6c00'><b>Awaiting the analyst's decision.</b></span> Confirm or "
                               "override with a reason."));
    }
    if (!st.type.empty()) {
        m_type->setCurrentIndex(std::max(0, m_type->findData(QString::fromStdString(st.type))));
        if (st.tier > 0) m_tier->setValue(st.tier);
    }
    const LadderProposal lp = rc->ladder(m_c->report());
    const TierInfo* tier = rc->library().tier(lp.tier);
    QString html =
        tr("<b>Tier %1</b>%2")
            .arg(lp.tier)
            .arg(tier ? QStringLiteral(": ") + QString::fromStdString(tier->title).toHtmlEscaped() : QString());
    html +=
        tr("<br><b>Rung:</b> <span style='color:#c62828'><b>%1</b></span> for %2%3")
            .arg(lp.rung.empty() ? tr("–") : rungTitle(lp.rung),
                 lp.agent.empty() ? tr("(no agent)") : QString::fromStdString(lp.agent).toHtmlEscaped(),
                 lp.why.empty() ? QString() : QStringLiteral(" — ") + QString::fromStdString(lp.why).toHtmlEscaped());
    html += tr("<br><b>Revoke first:</b><ol style='margin:0'>");
    for (const auto& s : lp.revokeFirst) {
        QStringList t;
        for (const auto& x : s.targets)
            t << QString::fromStdString(x).toHtmlEscaped();
        html += QStringLiteral("<li>%1%2</li>")
                    .arg(QString::fromStdString(s.title).toHtmlEscaped(),
                         t.isEmpty() ? QString() : QStringLiteral(": <tt>%1</tt>").arg(t.join(QStringLiteral(", "))));
    }
    html += QStringLiteral("</ol>");
    m_ladder->setText(html);
    m_criticality->setEnabled(!lp.agent.empty());
    m_highRisk->setEnabled(!lp.agent.empty());
    if (!lp.agent.empty()) {
        auto it = st.agentProfiles.find(lp.agent);
        const QString crit = it != st.agentProfiles.end() ? QString::fromStdString(it->second.criticality) : QString();
        m_criticality->setCurrentIndex(std::max(0, m_criticality->findData(crit)));
        m_criticality->setItemText(
            0, tr("from agents.json (%1)")
                   .arg(QString::fromStdString(st.baselines.count(lp.agent) ? st.baselines.at(lp.agent).criticality
                                                                            : std::string())
                                .isEmpty()
                            ? tr("none")
                            : QString::fromStdString(st.baselines.at(lp.agent).criticality)));
        m_highRisk->setChecked(rc->highRisk(lp.agent));
    }
    updateButton();
    m_updating = false;
}

} // namespace chainsight::views
