// The timeline panel (Qt Charts); see TimelineView.h.
#include "views/TimelineView.h"

#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/Theme.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLocale>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QScatterSeries>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

namespace chainsight::views {

// Mouse and keys on the chart: drag selects a time range, wheel zooms, right/middle-drag pans, click picks.
class TimelineChartView : public QChartView
{
public:
    TimelineChartView(QChart* chart, TimelineView* owner) : QChartView(chart, owner), m_owner(owner)
    {
        setObjectName(QStringLiteral("timelineChart"));
        setRenderHint(QPainter::Antialiasing);
        setFocusPolicy(Qt::StrongFocus);
        setRubberBand(QChartView::NoRubberBand);
        setMouseTracking(false);
    }

protected:
    void wheelEvent(QWheelEvent* e) override
    {
        const QRectF plot = chart()->plotArea();
        const double anchor = std::clamp((e->position().x() - plot.left()) / std::max(1.0, plot.width()), 0.0, 1.0);
        m_owner->zoomBy(std::pow(0.8, e->angleDelta().y() / 120.0), anchor);
        e->accept();
    }
    void mousePressEvent(QMouseEvent* e) override
    {
        m_press = e->pos();
        m_last = e->pos();
        m_mode = (e->button() == Qt::LeftButton && !(e->modifiers() & Qt::ShiftModifier)) ? Select : Pan;
        m_dragging = false;
        e->accept();
    }
    void mouseMoveEvent(QMouseEvent* e) override
    {
        if ((e->pos() - m_press).manhattanLength() > 4) m_dragging = true;
        if (m_dragging && m_mode == Pan) {
            const double w = std::max(1.0, chart()->plotArea().width());
            m_owner->panBy(-(e->pos().x() - m_last.x()) / w);
        }
        m_last = e->pos();
        viewport()->update();
        e->accept();
    }
    void mouseReleaseEvent(QMouseEvent* e) override
    {
        if (!m_dragging && e->button() == Qt::LeftButton) {
            m_owner->pick(chart()->mapToValue(e->pos()));
        } else if (m_dragging && m_mode == Select) {
            const double a = chart()->mapToValue(m_press).x(), b = chart()->mapToValue(e->pos()).x();
            const int64_t from = m_owner->fromX(std::min(a, b)), to = m_owner->fromX(std::max(a, b));
            m_owner->setFilterBand(from, to);
            emit m_owner->rangeSelected(from, to);
        }
        m_dragging = false;
        viewport()->update();
        e->accept();
    }
    void mouseDoubleClickEvent(QMouseEvent*) override { m_owner->resetZoom(); }
    void keyPressEvent(QKeyEvent* e) override
    {
        switch (e->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            m_owner->zoomBy(0.7);
            return;
        case Qt::Key_Minus:
            m_owner->zoomBy(1.4);
            return;
        case Qt::Key_Left:
            m_owner->panBy(-0.2);
            return;
        case Qt::Key_Right:
            m_owner->panBy(0.2);
            return;
        case Qt::Key_Home:
            m_owner->resetZoom();
            return;
        case Qt::Key_Escape:
            if (m_owner->m_bandFrom || m_owner->m_bandTo) {
                m_owner->setFilterBand({}, {});
                emit m_owner->rangeSelected({}, {});
            }
            return;
        default:
            QChartView::keyPressEvent(e);
        }
    }
    void drawForeground(QPainter* p, const QRectF& rect) override
    {
        QChartView::drawForeground(p, rect);
        const QRectF plot = chart()->plotArea();
        QColor c = palette().color(QPalette::Highlight);
        auto band = [&](double x1, double x2) {
            const double l = std::clamp(std::min(x1, x2), plot.left(), plot.right());
            const double r = std::clamp(std::max(x1, x2), plot.left(), plot.right());
            if (r <= l) return;
            QColor fill = c;
            fill.setAlpha(45);
            p->fillRect(QRectF(l, plot.top(), r - l, plot.height()), fill);
            p->setPen(QPen(c, 1));
            p->drawLine(QPointF(l, plot.top()), QPointF(l, plot.bottom()));
            p->drawLine(QPointF(r, plot.top()), QPointF(r, plot.bottom()));
        };
        if (m_dragging && m_mode == Select) {
            band(mapToScene(m_press).x(), mapToScene(m_last).x());
        } else if (m_owner->m_bandFrom || m_owner->m_bandTo) {
            const double l = chart()->mapToPosition(QPointF(m_owner->toX(m_owner->m_bandFrom.value_or(m_owner->m_from)), 0)).x();
            const double r = chart()->mapToPosition(QPointF(m_owner->toX(m_owner->m_bandTo.value_or(m_owner->m_to)), 0)).x();
            band(l, r);
        }
    }

private:
    enum Mode { Select, Pan };
    TimelineView* m_owner;
    QPoint m_press, m_last;
    Mode m_mode = Select;
    bool m_dragging = false;
};

TimelineView::TimelineView(CaseContext* context, EventSelection* selection, QWidget* parent)
    : QWidget(parent), m_context(context), m_selection(selection)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(4, 2, 4, 2));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    m_view = new TimelineChartView(m_chart, this);
    m_hint = new QLabel(tr("Drag: filter the table to a time range · wheel or +/−: zoom · right-drag or ←/→: pan · "
                           "double-click: whole case · click a mark: select its event"),
                        this);
    m_hint->setStyleSheet(QStringLiteral("color: palette(placeholder-text); padding: 1px 6px;"));
    m_hint->setWordWrap(true); // else its one line is the minimum width of the whole bottom dock area
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addWidget(m_view);
    lay->addWidget(m_hint);
    m_offsetMs = QDateTime::currentDateTime().offsetFromUtc() * 1000.0;

    connect(context, &CaseContext::indexReady, this, &TimelineView::setup);
    connect(context, &CaseContext::closed, this, [this] {
        m_index.reset();
        clearChart();
    });
    connect(selection, &EventSelection::changed, this, &TimelineView::followSelection);
    if (context->index()) setup();
}

TimelineView::~TimelineView() = default;

void TimelineView::clearChart()
{
    // removeAllSeries deletes the series: forget them. removeAxis hands an axis back to us: delete it.
    m_chart->removeAllSeries();
    m_typeSeries.clear();
    m_allow = m_log = m_constrain = m_block = m_current = nullptr;
    m_tokens = nullptr;
    for (QAbstractAxis* a : m_chart->axes()) {
        m_chart->removeAxis(a);
        delete a;
    }
    m_axisX = nullptr;
    m_axisY = nullptr;
}

double TimelineView::toX(int64_t ns) const { return static_cast<double>(ns / 1000000) + m_offsetMs; }
int64_t TimelineView::fromX(double x) const { return static_cast<int64_t>((x - m_offsetMs) * 1e6); }

double TimelineView::laneY(int lane, int slot) const
{
    // Lane 0 on top. Within a lane: type rows bottom-up, decisions at the top.
    const double base = m_lanes - 1 - lane;
    if (slot < 0) return base + 0.8;
    return base + 0.22 + 0.3 * slot;
}

void TimelineView::setup()
{
    m_index = m_context->index();
    clearChart();
    if (!m_index || m_index->size() == 0) return;
    const store::CaseIndex& ix = *m_index;
    m_chart->setTheme(isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->legend()->setLabelColor(palette().color(QPalette::Text));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_chart->legend()->setFont(small);

    // Lanes in agent-name order.
    std::vector<uint32_t> agents(ix.agentNames.size());
    for (uint32_t a = 0; a < agents.size(); ++a) agents[a] = a;
    std::sort(agents.begin(), agents.end(), [&](uint32_t x, uint32_t y) { return ix.agentNames[x] < ix.agentNames[y]; });
    m_lanes = static_cast<int>(agents.size());
    m_laneOfAgent.assign(agents.size(), 0);
    for (int lane = 0; lane < m_lanes; ++lane) m_laneOfAgent[agents[static_cast<size_t>(lane)]] = static_cast<uint32_t>(lane);
    std::array<bool, kEventTypeCount> present{};
    for (uint8_t t : ix.types) present[t] = true;
    // Two rows a lane: the actions (tool calls and results) above everything else, decisions on top.
    m_typeSlot.assign(kEventTypeCount, -1);
    m_slots = 2;
    for (int t = 0; t < kEventTypeCount; ++t)
        if (present[static_cast<size_t>(t)])
            m_typeSlot[static_cast<size_t>(t)] = t == int(EventType::ToolCall) || t == int(EventType::ToolResult) ? 1 : 0;

    m_axisX = new QDateTimeAxis;
    m_axisX->setFormat(QStringLiteral("HH:mm:ss"));
    m_axisX->setTitleText(tr("UTC"));
    m_axisX->setTickCount(9);
    m_axisX->setLabelsFont(small);
    m_hasTokens = !ix.tokens.empty();
    m_axisY = new QCategoryAxis;
    m_axisY->setRange(m_hasTokens ? -1 : 0, std::max(1, m_lanes));
    m_axisY->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    m_axisY->setLabelsFont(small);
    m_axisY->setGridLineVisible(true);
    m_axisY->setStartValue(m_hasTokens ? -1 : 0);
    if (m_hasTokens) m_axisY->append(tr("tokens"), 0);
    for (int lane = m_lanes - 1; lane >= 0; --lane)
        m_axisY->append(fromStd(ix.agentNames[agents[static_cast<size_t>(lane)]]), m_lanes - lane);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);

    // Token usage gets a lane of its own under the agents (scaled to the busiest bin shown).
    m_tokens = new QLineSeries;
    m_tokens->setName(tr("tokens (in+out)"));
    m_tokens->setPen(QPen(typeColor(EventType::LlmOutput), 1.4));
    m_chart->addSeries(m_tokens);
    m_tokens->attachAxis(m_axisX);
    m_tokens->attachAxis(m_axisY);
    m_tokens->setVisible(m_hasTokens);

    m_typeSeries.assign(kEventTypeCount, nullptr);
    // Drawn in this order, so the rarer and more telling marks end on top.
    static constexpr EventType order[] = {EventType::LlmOutput, EventType::Prompt, EventType::MemorySnapshot, EventType::MemoryWrite,
                                          EventType::Retrieval, EventType::Auth, EventType::Kernel, EventType::Egress,
                                          EventType::Delegation, EventType::IdentityChange, EventType::ToolResult, EventType::ToolCall};
    for (EventType et : order) {
        const int t = static_cast<int>(et);
        if (m_typeSlot[static_cast<size_t>(t)] < 0) continue;
        auto* s = new QScatterSeries;
        s->setName(typeName(static_cast<EventType>(t)));
        s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        s->setMarkerSize(5);
        s->setColor(typeColor(static_cast<EventType>(t)));
        s->setBorderColor(typeColor(static_cast<EventType>(t)));
        m_chart->addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
        m_typeSeries[static_cast<size_t>(t)] = s;
    }
    auto decisionSeries = [&](const QString& name, QScatterSeries::MarkerShape shape, double size, Verdict v) {
        auto* s = new QScatterSeries;
        s->setName(name);
        s->setMarkerShape(shape);
        s->setMarkerSize(size);
        s->setColor(verdictColor(v));
        s->setBorderColor(v == Verdict::Block ? palette().color(QPalette::Text) : verdictColor(v));
        m_chart->addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
        return s;
    };
    m_allow = decisionSeries(tr("ALLOW"), QScatterSeries::MarkerShapeTriangle, 6, Verdict::Allow);
    m_log = decisionSeries(tr("LOG"), QScatterSeries::MarkerShapeTriangle, 8, Verdict::Log);
    m_constrain = decisionSeries(tr("CONSTRAIN"), QScatterSeries::MarkerShapeRotatedRectangle, 11, Verdict::Constrain);
    m_block = decisionSeries(tr("BLOCK"), QScatterSeries::MarkerShapeRectangle, 14, Verdict::Block);
    m_current = new QScatterSeries;
    m_current->setName(tr("selected"));
    m_current->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_current->setMarkerSize(20);
    m_current->setColor(Qt::transparent);
    m_current->setBorderColor(palette().color(QPalette::Highlight));
    m_current->setPen(QPen(palette().color(QPalette::Highlight), 2.5));
    m_chart->addSeries(m_current);
    m_current->attachAxis(m_axisX);
    m_current->attachAxis(m_axisY);
    for (QLegendMarker* m : m_chart->legend()->markers(m_current)) m->setVisible(false);
    connect(m_chart, &QChart::plotAreaChanged, this, [this](const QRectF& plot) {
        const int bins = std::clamp(static_cast<int>(plot.width() / 7), 30, 500);
        if (bins != m_bins) QTimer::singleShot(0, this, &TimelineView::rebin);
    });
    resetZoom();
    followSelection(m_selection->current(), nullptr);
}

void TimelineView::resetZoom()
{
    if (!m_index || m_index->size() == 0) return;
    const int64_t span = std::max<int64_t>(m_index->maxTs - m_index->minTs, 1000000);
    setRange(m_index->minTs - span / 50, m_index->maxTs + span / 50);
}

void TimelineView::setRange(int64_t fromNs, int64_t toNs)
{
    if (toNs <= fromNs) toNs = fromNs + 1000000;
    m_from = fromNs;
    m_to = toNs;
    if (m_axisX)
        m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(toX(fromNs))), QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(toX(toNs))));
    const int64_t span = toNs - fromNs;
    if (m_axisX) m_axisX->setFormat(span < 20'000'000'000LL ? QStringLiteral("HH:mm:ss.zzz") : span > 2 * 86'400'000'000'000LL ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("HH:mm:ss"));
    rebin();
}

void TimelineView::zoomBy(double factor, double anchor)
{
    if (!m_index) return;
    const double span = static_cast<double>(m_to - m_from);
    const double next = std::clamp(span * factor, 1e6, 1e18);
    const double pivot = m_from + span * anchor;
    setRange(static_cast<int64_t>(pivot - next * anchor), static_cast<int64_t>(pivot + next * (1 - anchor)));
}

void TimelineView::panBy(double fraction)
{
    if (!m_index) return;
    const int64_t d = static_cast<int64_t>(static_cast<double>(m_to - m_from) * fraction);
    setRange(m_from + d, m_to + d);
}

void TimelineView::setFilterBand(std::optional<int64_t> fromNs, std::optional<int64_t> toNs)
{
    m_bandFrom = fromNs;
    m_bandTo = toNs;
    m_view->viewport()->update();
}

int TimelineView::pointCount() const
{
    int n = 0;
    for (auto* s : m_typeSeries)
        if (s) n += s->count();
    return n;
}

void TimelineView::rebin()
{
    if (!m_index || !m_axisX) return;
    const store::CaseIndex& ix = *m_index;
    const int bins = std::clamp(static_cast<int>(m_chart->plotArea().width() / 7), 30, 500);
    m_bins = bins;
    const auto h = ix.histogram(m_from, m_to, bins);
    m_binNs = h.binNs;
    std::vector<QList<QPointF>> pts(kEventTypeCount);
    for (uint32_t a = 0; a < ix.agentNames.size(); ++a) {
        const int lane = static_cast<int>(m_laneOfAgent[a]);
        for (int t = 0; t < kEventTypeCount; ++t) {
            const int slot = m_typeSlot[static_cast<size_t>(t)];
            if (slot < 0) continue;
            for (int b = 0; b < h.bins; ++b)
                if (h.at(a, t, b)) pts[static_cast<size_t>(t)].append(QPointF(toX(h.fromNs + h.binNs * b + h.binNs / 2), laneY(lane, slot)));
        }
    }
    for (int t = 0; t < kEventTypeCount; ++t)
        if (auto* s = m_typeSeries[static_cast<size_t>(t)]) s->replace(pts[static_cast<size_t>(t)]);

    // Decisions: one mark per lane, bin and verdict class.
    QList<QPointF> allow, log, constrain, block;
    std::vector<uint8_t> seen(static_cast<size_t>(m_lanes) * h.bins * 4, 0);
    auto lo = std::lower_bound(ix.decisions.begin(), ix.decisions.end(), m_from, [](const store::CaseIndex::DecisionMark& d, int64_t t) { return d.ts < t; });
    for (auto it = lo; it != ix.decisions.end() && it->ts < m_to; ++it) {
        if (it->agent >= m_laneOfAgent.size()) continue;
        const int lane = static_cast<int>(m_laneOfAgent[it->agent]);
        const int b = std::min(h.bins - 1, static_cast<int>((it->ts - h.fromNs) / h.binNs));
        const int cls = it->verdict == Verdict::Block ? 3 : it->verdict == Verdict::Constrain ? 2 : it->verdict == Verdict::Log ? 1 : 0;
        uint8_t& s = seen[(static_cast<size_t>(lane) * h.bins + b) * 4 + cls];
        if (s) continue;
        s = 1;
        const QPointF p(toX(h.fromNs + h.binNs * b + h.binNs / 2), laneY(lane, -1));
        (cls == 3 ? block : cls == 2 ? constrain : cls == 1 ? log : allow).append(p);
    }
    m_allow->replace(allow);
    m_log->replace(log);
    m_constrain->replace(constrain);
    m_block->replace(block);

    QList<QPointF> tokens;
    uint64_t maxTokens = 1;
    for (int b = 0; b < h.bins; ++b) maxTokens = std::max(maxTokens, h.tokensIn[static_cast<size_t>(b)] + h.tokensOut[static_cast<size_t>(b)]);
    for (int b = 0; b < h.bins; ++b) {
        const double v = static_cast<double>(h.tokensIn[static_cast<size_t>(b)] + h.tokensOut[static_cast<size_t>(b)]);
        tokens.append(QPointF(toX(h.fromNs + h.binNs * b + h.binNs / 2), -0.92 + 0.84 * v / static_cast<double>(maxTokens)));
    }
    m_tokens->replace(tokens);
    m_tokens->setName(tr("tokens (peak %1/bin)").arg(QLocale().toString(static_cast<qulonglong>(maxTokens))));
    followSelection(m_selection->current(), this);
}

bool TimelineView::showsSelection() const { return m_current && m_current->count() > 0; }

void TimelineView::followSelection(qint64 rowid, QObject* source)
{
    if (!m_index || !m_current) return;
    const int i = rowid ? m_index->indexOf(rowid) : -1;
    if (i < 0) {
        m_current->clear();
        return;
    }
    const int64_t ts = m_index->ts[static_cast<size_t>(i)];
    if (source != this && (ts < m_from || ts > m_to)) {
        const int64_t half = (m_to - m_from) / 2;
        setRange(ts - half, ts + half); // re-bins, which calls back here
        return;
    }
    const int lane = static_cast<int>(m_laneOfAgent[m_index->agents[static_cast<size_t>(i)]]);
    const int slot = m_typeSlot[m_index->types[static_cast<size_t>(i)]];
    m_current->replace(QList<QPointF>{QPointF(toX(ts), laneY(lane, slot))});
}

void TimelineView::pick(const QPointF& v)
{
    if (!m_index || m_lanes == 0) return;
    const int laneFromBottom = static_cast<int>(std::floor(v.y()));
    if (laneFromBottom < 0 || laneFromBottom >= m_lanes) return;
    const int lane = m_lanes - 1 - laneFromBottom;
    uint32_t agent = UINT32_MAX;
    for (uint32_t a = 0; a < m_laneOfAgent.size(); ++a)
        if (static_cast<int>(m_laneOfAgent[a]) == lane) agent = a;
    const double within = v.y() - laneFromBottom;
    const int64_t t = fromX(v.x());
    const int64_t half = std::max<int64_t>(m_binNs, (m_to - m_from) / 150);
    int found = -1;
    if (within > 0.78) {
        // The decision row: the decided event nearest in time, strongest verdict first.
        int best = -1;
        int64_t bestDist = INT64_MAX;
        auto lo = std::lower_bound(m_index->decisions.begin(), m_index->decisions.end(), t - half,
                                   [](const store::CaseIndex::DecisionMark& d, int64_t x) { return d.ts < x; });
        for (auto it = lo; it != m_index->decisions.end() && it->ts <= t + half; ++it) {
            if (it->agent != agent || it->event < 0) continue;
            const int64_t dist = std::abs(it->ts - t) - (it->verdict == Verdict::Block ? half : 0);
            if (dist < bestDist) {
                bestDist = dist;
                best = it->event;
            }
        }
        found = best;
    } else {
        int type = -1;
        double bestDy = 1e9;
        for (int ty = 0; ty < kEventTypeCount; ++ty) {
            const int slot = m_typeSlot[static_cast<size_t>(ty)];
            if (slot < 0) continue;
            const double dy = std::abs(laneY(lane, slot) - v.y());
            if (dy < bestDy) {
                bestDy = dy;
                type = ty;
            }
        }
        found = m_index->firstIn(t - half, t + half, agent, type);
        if (found < 0) found = m_index->firstIn(t - half, t + half, agent, -1);
    }
    if (found >= 0) m_selection->select(m_index->rowids[static_cast<size_t>(found)], nullptr);
}

} // namespace chainsight::views
