// The analysis panel; see AnalysisPanel.h.
#include "views/analysis/AnalysisPanel.h"

#include "core/analysis/Analysis.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/Theme.h"
#include "views/Workbench.h"
#include "views/analysis/FindingsModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace chainsight::views {

namespace {
QString typeExplanation(analysis::IncidentType t)
{
    using analysis::IncidentType;
    switch (t) {
    case IncidentType::ReasoningCompromise:
        return QObject::tr("The agent acted on instructions or values planted in what it read.");
    case IncidentType::PrivilegeBoundaryEscape:
        return QObject::tr("The agent reached beyond the identity or permissions it was given.");
    case IncidentType::RuntimeExecutionEscape:
        return QObject::tr("The agent's runtime did something its controls did not allow.");
    case IncidentType::None:
        break;
    }
    return QObject::tr("Nothing the analysis rules treat as an incident.");
}

QString eventLink(const std::string& id)
{
    const QString q = fromStd(id).toHtmlEscaped();
    return QStringLiteral("<a href=\"event:%1\">%1</a>").arg(q);
}

QString eventLinks(const std::vector<std::string>& ids, size_t max = 8)
{
    QStringList out;
    for (size_t i = 0; i < ids.size() && i < max; ++i)
        out << eventLink(ids[i]);
    if (ids.size() > max) out << QObject::tr("+%1 more").arg(ids.size() - max);
    return out.join(QStringLiteral(" "));
}
} // namespace

AnalysisPanel::AnalysisPanel(const Workbench& wb, QWidget* parent)
    : QWidget(parent), m_context(wb.context), m_selection(wb.selection), m_analysis(wb.analysis)
{
    setObjectName(QStringLiteral("analysisPanel"));
    // The card: what happened, how sure, why.
    m_card = new QLabel(this);
    m_card->setObjectName(QStringLiteral("classificationCard"));
    m_card->setWordWrap(true);
    m_card->setTextFormat(Qt::RichText);
    m_card->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_card->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_card->setContentsMargins(8, 6, 8, 6);
    connect(m_card, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link.startsWith(QLatin1String("event:"))) selectEvent(link.mid(6));
    });

    m_meter = new QProgressBar(this);
    m_meter->setObjectName(QStringLiteral("completenessMeter"));
    m_meter->setRange(0, 100);
    m_meter->setFormat(tr("evidence completeness %p%"));
    m_meter->setToolTip(
        tr("Of the artifacts an investigation wants (prompts, outputs, tool calls, retrieved context, identities, "
           "downstream calls), the share the incident's sessions hold"));
    m_meterDetail = new QLabel(this);
    m_meterDetail->setWordWrap(true);
    m_meterDetail->setContentsMargins(8, 0, 8, 0);
    m_meterDetail->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));

    m_blast = new QTreeWidget(this);
    m_blast->setObjectName(QStringLiteral("blastRadius"));
    m_blast->setHeaderLabels({tr("Blast radius"), tr("")});
    m_blast->setColumnCount(1);
    m_blast->setRootIsDecorated(true);
    m_blast->setUniformRowHeights(true);
    m_blast->setToolTip(
        tr("What the harmful actions reached: agents, identities, tools, destinations and data sources"));

    auto* top = new QWidget(this);
    auto* topLay = new QVBoxLayout(top);
    topLay->setContentsMargins(0, 0, 0, 0);
    topLay->setSpacing(4);
    auto* scroll = new QScrollArea(top);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_card);
    topLay->addWidget(scroll, 3);
    topLay->addWidget(m_meter);
    topLay->addWidget(m_meterDetail);
    topLay->addWidget(m_blast, 2);

    // The findings.
    m_model = new FindingsModel(this);
    m_filter = new FindingsFilter(this);
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(Qt::DisplayRole);
    m_severity = new QComboBox(this);
    m_severity->setObjectName(QStringLiteral("findingsSeverity"));
    m_severity->addItem(tr("All severities"), 0);
    m_severity->addItem(tr("Low and above"), 1);
    m_severity->addItem(tr("Medium and above"), 2);
    m_severity->addItem(tr("High and above"), 3);
    m_severity->addItem(tr("Critical"), 4);
    m_severity->setCurrentIndex(2);
    m_filter->setMinimumSeverity(2);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setMinimumSeverity(m_severity->currentData().toInt());
        showState({});
    });
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("findingsSearch"));
    m_search->setPlaceholderText(tr("Filter findings (rule, ATLAS id, event, value)"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& t) {
        m_filter->setFilterFixedString(t);
        showState({});
    });
    m_count = new QLabel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("findingsTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FindingsModel::SeverityColumn, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(FindingsModel::SeverityColumn, 70);
    m_table->setColumnWidth(FindingsModel::RuleColumn, 150);
    m_table->setColumnWidth(FindingsModel::AtlasColumn, 110);
    m_table->setColumnWidth(FindingsModel::EventsColumn, 110);
    m_table->setColumnHidden(FindingsModel::AgentColumn, true);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
        if (!m_following) findingActivated(cur);
    });
    connect(m_table, &QAbstractItemView::clicked, this, &AnalysisPanel::findingActivated);

    auto* bottom = new QWidget(this);
    auto* bl = new QVBoxLayout(bottom);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->setSpacing(2);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(4, 2, 4, 2);
    row->addWidget(m_severity);
    row->addWidget(m_search, 1);
    row->addWidget(m_count);
    bl->addLayout(row);
    bl->addWidget(m_table, 1);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(split);

    if (m_analysis) {
        connect(m_analysis, &AnalysisService::started, this, [this] { showState(tr("Analysing the case…")); });
        connect(m_analysis, &AnalysisService::ready, this, &AnalysisPanel::showReport);
        connect(m_analysis, &AnalysisService::failed, this,
                [this](const QString& m) { showState(tr("The analysis failed: %1").arg(m)); });
        connect(m_analysis, &AnalysisService::cleared, this, [this] { showState(tr("No case open.")); });
    }
    connect(m_selection, &EventSelection::changed, this, &AnalysisPanel::followSelection);
    if (m_analysis && m_analysis->report())
        showReport();
    else
        showState(m_analysis && m_analysis->isRunning() ? tr("Analysing the case…") : tr("No case open."));
}

void AnalysisPanel::showState(const QString& text)
{
    const bool haveReport = m_analysis && m_analysis->report();
    if (!text.isEmpty() && !haveReport) {
        m_model->setReport(nullptr);
        m_card->setText(QStringLiteral("<p style='color:palette(placeholder-text)'>%1</p>").arg(text.toHtmlEscaped()));
        m_meter->setValue(0);
        m_meterDetail->clear();
        m_blast->clear();
    }
    m_count->setText(tr("%1 of %2").arg(m_filter->rowCount()).arg(m_model->rowCount()));
}

void AnalysisPanel::showReport()
{
    auto rep = m_analysis ? m_analysis->report() : nullptr;
    if (!rep) return showState(tr("No analysis yet."));
    const analysis::AnalysisReport& r = *rep;

    // The card.
    const QColor tc =
        r.type == analysis::IncidentType::None ? palette().color(QPalette::Text) : verdictColor(Verdict::Block);
    int incidentSessions = 0;
    for (const analysis::SessionVerdict& s : r.sessions)
        incidentSessions += s.type != analysis::IncidentType::None ? 1 : 0;
    int bySeverity[5] = {};
    for (const analysis::Finding& f : r.findings)
        ++bySeverity[static_cast<int>(f.severity)];
    QString html = QStringLiteral("<div style='font-size:large'><b style='color:%1'>%2</b></div>")
                       .arg(tc.name(), incidentTypeTitle(analysis::incidentTypeName(r.type)).toHtmlEscaped());
    html += QStringLiteral("<div>%1</div>").arg(typeExplanation(r.type).toHtmlEscaped());
    html += tr("<p><b>confidence %1%</b> · tier %2 · %3 of %4 sessions · %5 events analysed</p>")
                .arg(qRound(r.confidence * 100))
                .arg(r.tier)
                .arg(incidentSessions)
                .arg(r.sessions.size())
                .arg(QLocale().toString(static_cast<qlonglong>(r.events)));
    html += tr("<p>Findings: <b style='color:%1'>%2 critical</b> · <b style='color:%3'>%4 high</b> · %5 medium · %6 "
               "low · %7 info</p>")
                .arg(severityColor(analysis::Severity::Critical).name())
                .arg(bySeverity[4])
                .arg(severityColor(analysis::Severity::High).name())
                .arg(bySeverity[3])
                .arg(bySeverity[2])
                .arg(bySeverity[1])
                .arg(bySeverity[0]);
    if (!r.injectionSources.empty())
        html += tr("<p><b>Injection sources</b> (what the agent read that carried the attack): %1</p>")
                    .arg(eventLinks(r.injectionSources));
    if (!r.harmfulActions.empty())
        html += tr("<p><b>Harmful actions</b> (%1): %2</p>")
                    .arg(r.harmfulActions.size())
                    .arg(eventLinks(r.harmfulActions, 12));
    if (!r.attemptSources.empty())
        html += tr("<p><b>Injection attempts not acted on</b>: %1</p>").arg(eventLinks(r.attemptSources));
    if (!r.rationale.empty()) {
        html += tr("<p><b>Why</b></p><ul style='margin-left:-20px'>");
        for (size_t i = 0; i < r.rationale.size() && i < 12; ++i)
            html += QStringLiteral("<li>%1 %2</li>")
                        .arg(r.rationale[i].event.empty() ? QString() : eventLink(r.rationale[i].event),
                             fromStd(r.rationale[i].why).toHtmlEscaped());
        if (r.rationale.size() > 12) html += tr("<li>… %1 more</li>").arg(r.rationale.size() - 12);
        html += QStringLiteral("</ul>");
    }
    html += tr("<p style='color:palette(placeholder-text)'>MITRE ATLAS %1 · analysed in %2 ms</p>")
                .arg(fromStd(r.atlasVersion))
                .arg(m_analysis->lastRunMs());
    m_card->setText(html);

    // Completeness: over the incident's sessions when there is one, else over every session.
    int present = 0, wanted = 0;
    std::map<std::string, int> missing;
    for (const analysis::SessionVerdict& s : r.sessions) {
        if (incidentSessions > 0 && s.type == analysis::IncidentType::None) continue;
        present += static_cast<int>(s.completeness.present.size());
        wanted += static_cast<int>(s.completeness.present.size() + s.completeness.missing.size());
        for (const std::string& m : s.completeness.missing)
            ++missing[m];
    }
    m_meter->setValue(wanted ? qRound(100.0 * present / wanted) : 0);
    QStringList gaps;
    for (const auto& [artifact, n] : missing)
        gaps << tr("%1 missing in %2").arg(fromStd(artifact)).arg(n);
    m_meterDetail->setText(wanted == 0      ? tr("No sessions to assess.")
                           : gaps.isEmpty() ? tr("Every artifact present in the %1 assessed.")
                                                  .arg(incidentSessions ? tr("incident's sessions") : tr("sessions"))
                                            : gaps.join(QStringLiteral(" · ")));
    QString perArtifact;
    for (const auto& [artifact, n] : r.artifactSessions)
        perArtifact += tr("%1: %2 of %3 sessions\n").arg(fromStd(artifact)).arg(n).arg(r.sessions.size());
    m_meterDetail->setToolTip(perArtifact.trimmed());

    // Blast radius.
    m_blast->clear();
    auto group = [this](const QString& title, const std::set<std::string>& values) {
        auto* g = new QTreeWidgetItem(m_blast, {tr("%1 (%2)").arg(title).arg(values.size())});
        QFont f = g->font(0);
        f.setBold(true);
        g->setFont(0, f);
        for (const std::string& v : values)
            new QTreeWidgetItem(g, {fromStd(v)});
        g->setExpanded(values.size() <= 4);
        return g;
    };
    group(tr("Agents"), r.blast.agents);
    group(tr("Identities"), r.blast.identities);
    group(tr("Tools"), r.blast.tools);
    group(tr("Destinations"), r.blast.destinations);
    group(tr("Data sources"), r.blast.dataSources);

    m_model->setReport(rep);
    m_table->sortByColumn(m_table->horizontalHeader()->sortIndicatorSection(),
                          m_table->horizontalHeader()->sortIndicatorOrder());
    showState({});
}

bool AnalysisPanel::selectEvent(const QString& eventId)
{
    if (!m_analysis || eventId.isEmpty()) return false;
    const int64_t rowid = m_analysis->rowidOf(eventId.toStdString());
    if (!rowid) return false;
    m_selection->select(rowid, this);
    return true;
}

void AnalysisPanel::findingActivated(const QModelIndex& proxyIndex)
{
    if (!proxyIndex.isValid()) return;
    selectEvent(proxyIndex.data(FindingsModel::KeyEventRole).toString());
}

void AnalysisPanel::followSelection(qint64 rowid, QObject* source)
{
    if (source == this || !rowid || !m_context->isOpen() || m_model->rowCount() == 0) return;
    auto ev = m_context->queries()->event(rowid);
    if (!ev || !*ev) return;
    const int row = m_model->rowForEvent(fromStd((*ev)->id));
    m_following = true;
    if (row < 0) {
        m_table->clearSelection();
    } else {
        const QModelIndex i = m_filter->mapFromSource(m_model->index(row, 0));
        if (i.isValid()) {
            m_table->setCurrentIndex(i);
            m_table->scrollTo(i);
        } else {
            m_table->clearSelection();
        }
    }
    m_following = false;
}

} // namespace chainsight::views
