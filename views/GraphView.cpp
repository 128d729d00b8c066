// The execution graph panel; see GraphView.h.
#include "views/GraphView.h"

#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/GraphItems.h"
#include "views/Theme.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGraphicsScene>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight::views {

// The drawing surface: wheel zooms about the cursor, drag pans, click selects, double-click folds.
class GraphCanvas : public QGraphicsView
{
public:
    GraphCanvas(QGraphicsScene* scene, GraphView* owner) : QGraphicsView(scene, owner), m_owner(owner)
    {
        setObjectName(QStringLiteral("graphCanvas"));
        setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        setDragMode(QGraphicsView::ScrollHandDrag);
        setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
        setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
        setFocusPolicy(Qt::StrongFocus);
        setBackgroundBrush(palette().color(QPalette::Base));
    }

protected:
    void wheelEvent(QWheelEvent* e) override
    {
        const double steps = e->angleDelta().y() / 120.0;
        m_owner->zoomBy(std::pow(1.2, steps));
        e->accept();
    }
    void mousePressEvent(QMouseEvent* e) override
    {
        m_pressPos = e->pos();
        QGraphicsView::mousePressEvent(e);
    }
    void mouseReleaseEvent(QMouseEvent* e) override
    {
        QGraphicsView::mouseReleaseEvent(e);
        if (e->button() == Qt::LeftButton && (e->pos() - m_pressPos).manhattanLength() < 4) {
            if (auto* n = nodeAt(e->pos())) m_owner->nodeClicked(n->nodeId());
        }
    }
    void mouseDoubleClickEvent(QMouseEvent* e) override
    {
        if (auto* n = nodeAt(e->pos())) m_owner->toggleFold(n->nodeId());
        else m_owner->fit();
    }
    void contextMenuEvent(QContextMenuEvent* e) override
    {
        if (auto* n = nodeAt(e->pos())) m_owner->nodeMenu(n->nodeId(), e->globalPos());
    }
    void keyPressEvent(QKeyEvent* e) override
    {
        switch (e->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            m_owner->zoomBy(1.25);
            return;
        case Qt::Key_Minus:
            m_owner->zoomBy(0.8);
            return;
        case Qt::Key_F:
            m_owner->fit();
            return;
        case Qt::Key_K:
            m_owner->focusKillChain();
            return;
        case Qt::Key_0:
            resetTransform();
            return;
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Space:
            if (m_owner->m_currentNode >= 0) m_owner->toggleFold(m_owner->m_currentNode);
            return;
        default:
            QGraphicsView::keyPressEvent(e);
        }
    }
    void scrollContentsBy(int dx, int dy) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    NodeItem* nodeAt(const QPoint& pos) const
    {
        for (QGraphicsItem* it : items(pos))
            if (it->type() == NodeItem::Type) return static_cast<NodeItem*>(it);
        return nullptr;
    }
    GraphView* m_owner;
    QPoint m_pressPos;
};

// A small overview of the whole graph with the visible part framed; click or drag to move there.
class GraphMinimap : public QGraphicsView
{
public:
    GraphMinimap(QGraphicsScene* scene, GraphCanvas* main, QWidget* parent) : QGraphicsView(scene, parent), m_main(main)
    {
        setObjectName(QStringLiteral("graphMinimap"));
        setInteractive(false);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setFrameShape(QFrame::Box);
        setRenderHints(QPainter::Antialiasing);
        setFixedSize(200, 140);
        setToolTip(QObject::tr("Overview: click or drag to move the view"));
        setBackgroundBrush(palette().color(QPalette::AlternateBase));
    }
    void refit()
    {
        if (scene()) fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
        viewport()->update();
    }

protected:
    void drawForeground(QPainter* p, const QRectF&) override
    {
        const QRectF visible = m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
        QColor c = palette().color(QPalette::Highlight);
        p->setPen(QPen(c, 0));
        c.setAlpha(40);
        p->setBrush(c);
        p->drawRect(visible);
    }
    void mousePressEvent(QMouseEvent* e) override { m_main->centerOn(mapToScene(e->pos())); }
    void mouseMoveEvent(QMouseEvent* e) override
    {
        if (e->buttons() & Qt::LeftButton) m_main->centerOn(mapToScene(e->pos()));
    }
    void resizeEvent(QResizeEvent* e) override
    {
        QGraphicsView::resizeEvent(e);
        refit();
    }

private:
    GraphCanvas* m_main;
};

void GraphCanvas::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    if (m_owner->m_minimap) m_owner->m_minimap->viewport()->update();
}

void GraphCanvas::resizeEvent(QResizeEvent* e)
{
    QGraphicsView::resizeEvent(e);
    if (auto* mm = m_owner->m_minimap) mm->move(width() - mm->width() - 6, height() - mm->height() - 6);
    if (auto* lg = m_owner->m_legend) lg->move(6, 6);
}

GraphView::GraphView(CaseContext* context, EventSelection* selection, QWidget* parent)
    : QWidget(parent), m_context(context), m_selection(selection)
{
    m_scene = new QGraphicsScene(this);
    m_scene->setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    m_canvas = new GraphCanvas(m_scene, this);
    m_minimap = nullptr;
    m_legend = nullptr;
    m_toolbar = new QToolBar(this);
    m_toolbar->setIconSize(QSize(16, 16));
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolbar->addAction(tr("Fit"), this, &GraphView::fit)->setToolTip(tr("Fit the whole graph (F)"));
    m_toolbar->addAction(tr("Zoom +"), this, [this] { zoomBy(1.25); })->setToolTip(tr("Zoom in (+, or the wheel)"));
    m_toolbar->addAction(tr("Zoom −"), this, [this] { zoomBy(0.8); })->setToolTip(tr("Zoom out (−)"));
    m_killChainAction = m_toolbar->addAction(tr("Kill Chain"), this, &GraphView::focusKillChain);
    m_killChainAction->setToolTip(tr("Frame the kill chain the analysis found: injection source → tainted values → harmful calls (K)"));
    m_killChainAction->setEnabled(false);
    QAction* allTaint = m_toolbar->addAction(tr("All Taint"));
    allTaint->setCheckable(true);
    allTaint->setToolTip(tr("Draw every taint edge the analysis found, not only those of the kill chain and of injected values"));
    connect(allTaint, &QAction::toggled, this, &GraphView::setShowAllTaint);
    m_toolbar->addSeparator();
    m_toolbar->addAction(tr("Fold/Unfold"), this, [this] { if (m_currentNode >= 0) toggleFold(m_currentNode); })
        ->setToolTip(tr("Open or close the fold of the selected node (Enter, or double-click a node)"));
    m_exportAction = m_toolbar->addAction(tr("Export…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph"), QStringLiteral("execution-graph.svg"),
                                                          tr("SVG (*.svg);;PNG (*.png);;Graphviz DOT (*.dot *.gv)"));
        if (path.isEmpty()) return;
        if (Status s = exportTo(path); !s) setMessage(s.error().toString());
    });
    m_exportAction->setToolTip(tr("Export the graph as SVG, PNG or DOT"));
    m_message = new QLabel(this);
    m_message->setContentsMargins(8, 0, 8, 0);
    m_message->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_toolbar->addSeparator();
    m_toolbar->addWidget(m_message);

    m_minimap = new GraphMinimap(m_scene, m_canvas, m_canvas);
    m_minimap->hide();
    m_legend = new QLabel(m_canvas);
    m_legend->setObjectName(QStringLiteral("graphLegend"));
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setAttribute(Qt::WA_TransparentForMouseEvents);
    auto sw = [](const QColor& c, const QString& what) { return QStringLiteral("<span style='color:%1'>■</span> %2").arg(c.name(), what); };
    auto ln = [](const QColor& c, const QString& what) { return QStringLiteral("<span style='color:%1'><b>━</b></span> %2").arg(c.name(), what); };
    using graph::EdgeKind;
    using graph::NodeKind;
    m_legend->setText(QStringLiteral("<small>%1 &nbsp;%2 &nbsp;%3 &nbsp;%4 &nbsp;%5 &nbsp;%6 &nbsp;%7<br>%8 &nbsp;%9 &nbsp;%10 &nbsp;%11 &nbsp;"
                                     "<span style='color:%12'>▢</span> blocked call</small>")
                          .arg(sw(nodeColor(NodeKind::Agent), tr("agent")), sw(nodeColor(NodeKind::Session), tr("session")),
                               sw(nodeColor(NodeKind::Source), tr("prompt source")), sw(nodeColor(NodeKind::Document), tr("document")),
                               sw(nodeColor(NodeKind::Tool), tr("tool call")), sw(nodeColor(NodeKind::Identity), tr("identity")),
                               sw(nodeColor(NodeKind::Destination), tr("destination")), ln(edgeColor(EdgeKind::Causal), tr("caused")),
                               ln(edgeColor(EdgeKind::Retrieval), tr("retrieved / in context")), ln(edgeColor(EdgeKind::Delegation), tr("delegated")),
                               ln(edgeColor(EdgeKind::Calls), tr("ran / called")), verdictColor(Verdict::Block).name()));
    m_legend->setStyleSheet(QStringLiteral("background: palette(window); border: 1px solid palette(mid); border-radius: 4px; padding: 3px;"));
    m_legend->adjustSize();
    m_legend->move(6, 6);

    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addWidget(m_toolbar);
    lay->addWidget(m_canvas);

    connect(context, &CaseContext::indexReady, this, &GraphView::build);
    connect(context, &CaseContext::indexProgress, this, [this](int pct) { setMessage(tr("Indexing the case… %1%").arg(pct)); });
    connect(context, &CaseContext::closed, this, [this] {
        ++m_generation;
        m_graph.reset();
        m_killChain = false;
        m_killChainAction->setEnabled(false);
        m_nodeItems.clear();
        m_edgeItems.clear();
        m_scene->clear();
        m_building = m_layingOut = false;
    });
    connect(selection, &EventSelection::changed, this, &GraphView::followSelection);
    if (context->index()) build();
}

GraphView::~GraphView()
{
    ++m_generation;
    // The scene is our child and would outlive the views' link to us: deleting it detaches it from the canvas,
    // which scrolls, and the canvas's scroll handler reaches back into this object. Detach while we are whole.
    if (m_minimap) m_minimap->setScene(nullptr);
    m_canvas->setScene(nullptr);
    m_minimap = nullptr;
    m_legend = nullptr;
}

void GraphView::setMessage(const QString& text) { m_message->setText(text); }

void GraphView::build()
{
    auto index = m_context->index();
    if (!index) return;
    const int gen = ++m_generation;
    m_building = true;
    m_fitPending = true;
    setMessage(tr("Building the graph…"));
    auto* watcher = new QFutureWatcher<std::pair<std::shared_ptr<graph::ExecutionGraph>, qint64>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        auto [g, ms] = watcher->result();
        m_graph = g;
        m_buildMs = ms;
        m_building = false;
        markGraph();
        if (m_selection->current()) m_graph->setFocus(m_graph->nodeForEvent(m_selection->current()));
        for (const QString& l : std::exchange(m_pendingUnfold, {})) {
            for (int id = 0; id < m_graph->nodeCount(); ++id)
                if (m_graph->node(id).isGroup() && fromStd(m_graph->node(id).label) == l) m_graph->setExpanded(id, true);
        }
        relayout();
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [index] {
        QElapsedTimer t;
        t.start();
        std::shared_ptr<graph::ExecutionGraph> g = graph::ExecutionGraph::build(index);
        return std::make_pair(g, t.elapsed());
    }));
}

graph::LayoutInput GraphView::layoutInput(const graph::ExecutionGraph::View& view, bool withStyle) const
{
    graph::LayoutInput in;
    in.nodes.reserve(view.nodes.size());
    for (int id : view.nodes) {
        const graph::Node& n = m_graph->node(id);
        const QSizeF size = NodeItem::measure(n);
        graph::LayoutNode ln;
        ln.id = id;
        ln.width = size.width();
        ln.height = size.height();
        if (withStyle) {
            ln.label = n.label + "\n" + n.detail;
            ln.fill = soften(nodeColor(n.kind), 0.85).name().toStdString();
            ln.stroke = (n.mark != graph::Mark::None ? markColor(n.mark) : nodeColor(n.kind)).name().toStdString();
            ln.fontColor = QApplication::palette().color(QPalette::Text).name().toStdString();
            ln.penWidth = n.mark != graph::Mark::None ? 2.5 : 1.2;
        }
        in.nodes.push_back(std::move(ln));
    }
    for (const graph::Edge& e : view.edges) {
        graph::LayoutEdge le;
        le.from = e.from;
        le.to = e.to;
        le.weight = e.kind == graph::EdgeKind::Runs || e.kind == graph::EdgeKind::Calls ? 2 : 1;
        if (withStyle) {
            le.color = (e.mark != graph::Mark::None ? markColor(e.mark) : edgeColor(e.kind)).name().toStdString();
            le.style = e.kind == graph::EdgeKind::Retrieval ? "dashed" : "solid";
            le.penWidth = e.kind == graph::EdgeKind::Highlight ? 3 : 1.2;
            le.label = !e.label.empty() ? e.label : (e.count > 1 ? "×" + std::to_string(e.count) : std::string());
        }
        in.edges.push_back(std::move(le));
    }
    return in;
}

void GraphView::relayout()
{
    if (!m_graph) return;
    if (m_layingOut) {
        m_relayoutPending = true;
        return;
    }
    m_layingOut = true;
    m_relayoutPending = false;
    const int gen = m_generation;
    auto view = std::make_shared<graph::ExecutionGraph::View>(m_graph->visible());
    graph::LayoutInput input = layoutInput(*view, false);
    input.packAspect = std::max(1.2, static_cast<double>(m_canvas->viewport()->width()) / std::max(1, m_canvas->viewport()->height()));
    setMessage(tr("Laying out %1 nodes…").arg(view->nodes.size()));
    auto* watcher = new QFutureWatcher<std::pair<Result<graph::Layout>, qint64>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen, view] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        auto [layout, ms] = watcher->result();
        m_layingOut = false;
        m_layoutMs = ms;
        if (!layout) setMessage(layout.error().toString());
        else placeScene(*view, *layout);
        if (m_relayoutPending) {
            relayout();
            return;
        }
        emit idle();
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [input] {
        QElapsedTimer t;
        t.start();
        graph::GraphLayout layout;
        auto r = layout.compute(input);
        return std::make_pair(std::move(r), t.elapsed());
    }));
}

void GraphView::placeScene(const graph::ExecutionGraph::View& view, const graph::Layout& layout)
{
    m_view = view;
    m_scene->clear();
    m_nodeItems.clear();
    m_edgeItems.clear();
    for (size_t i = 0; i < view.nodes.size() && i < layout.nodes.size(); ++i) {
        const graph::Node& n = m_graph->node(view.nodes[i]);
        const graph::NodeGeometry& g = layout.nodes[i];
        const int fold = m_graph->foldOf(n.id);
        auto* item = new NodeItem(n, fold >= 0, fold >= 0 && m_graph->isExpanded(fold), QSizeF(g.width, g.height));
        item->setPos(g.x, g.y);
        m_scene->addItem(item);
        m_nodeItems.insert(n.id, item);
    }
    for (size_t i = 0; i < view.edges.size() && i < layout.edges.size(); ++i) {
        auto* item = new EdgeItem(view.edges[i], layout.edges[i]);
        m_scene->addItem(item);
        m_edgeItems.append(item);
    }
    m_scene->setSceneRect(QRectF(-20, -30, layout.width + 40, layout.height + 60));
    const int folded = static_cast<int>(std::count_if(view.nodes.begin(), view.nodes.end(), [&](int id) {
        return m_graph->node(id).isGroup();
    }));
    setMessage(tr("%1 nodes, %2 edges%3 · built in %4 ms, laid out in %5 ms")
                   .arg(view.nodes.size())
                   .arg(view.edges.size())
                   .arg(folded ? tr(" (%1 folds: double-click to open)").arg(folded) : QString())
                   .arg(m_buildMs)
                   .arg(m_layoutMs));
    const int keep = m_currentNode;
    m_currentNode = -1;
    const bool firstLayout = m_fitPending;
    if (m_fitPending) {
        m_fitPending = false;
        fit();
    }
    const int now = m_selection->current() ? m_graph->visibleNodeForEvent(m_selection->current()) : keep;
    setCurrentNode(now, false);
    // The first view: the event asked for, else the kill chain, else the whole graph.
    if (firstLayout && now >= 0) focusNeighbourhood(now);
    else if (firstLayout && m_killChain) focusKillChain();
    m_minimap->refit();
}

void GraphView::setAnalysis(AnalysisService* analysis)
{
    m_analysis = analysis;
    if (!analysis) return;
    connect(analysis, &AnalysisService::ready, this, [this] {
        if (!m_graph) return; // marked when built
        const bool before = m_killChain;
        if (!markGraph() && !before) return;
        if (m_killChain && !before) m_fitPending = true; // frame it once it is drawn
        relayout();
    });
    if (analysis->report() && m_graph && markGraph()) {
        m_fitPending = true;
        relayout();
    }
}

void GraphView::setShowAllTaint(bool all)
{
    if (m_showAllTaint == all) return;
    m_showAllTaint = all;
    if (m_graph && markGraph()) relayout();
}

bool GraphView::markGraph()
{
    if (!m_graph) return false;
    m_graph->clearHighlights();
    m_killChain = false;
    m_killChainAction->setEnabled(false);
    auto report = m_analysis ? m_analysis->report() : nullptr;
    if (!report) return false;
    auto elide = [](std::string v) { return v.size() > 28 ? v.substr(0, 27) + "…" : v; };
    // Named marks first: a node keeps the first label it is given.
    for (const std::string& id : report->injectionSources)
        m_graph->addHighlightNode(m_analysis->rowidOf(id), graph::Mark::KillChain, tr("INJECTION SOURCE").toStdString());
    for (const std::string& id : report->harmfulActions)
        m_graph->addHighlightNode(m_analysis->rowidOf(id), graph::Mark::KillChain, tr("HARMFUL ACTION").toStdString());
    for (const std::string& id : report->attemptSources)
        m_graph->addHighlightNode(m_analysis->rowidOf(id), graph::Mark::Taint, tr("INJECTION ATTEMPT").toStdString());
    for (const analysis::TaintEdge& e : report->taint) {
        if (!m_showAllTaint && !e.harmful && !e.injected) continue;
        const int64_t from = m_analysis->rowidOf(e.source), to = m_analysis->rowidOf(e.action);
        if (!from || !to) continue;
        const std::string label = (e.argument.empty() ? std::string() : e.argument + " = ") + elide(e.value);
        m_graph->addHighlightEdge(from, to, e.harmful ? graph::Mark::KillChain : graph::Mark::Taint, label);
        if (!e.via.empty()) m_graph->addHighlightNode(m_analysis->rowidOf(e.via), e.harmful ? graph::Mark::KillChain : graph::Mark::Taint);
    }
    m_graph->revealMarked(graph::Mark::KillChain);
    m_killChain = !report->harmfulActions.empty() || !report->injectionSources.empty();
    m_killChainAction->setEnabled(m_killChain);
    return m_killChain || !report->taint.empty() || !report->attemptSources.empty();
}

// The smallest scale the first view of a part of the graph uses: node labels stay readable.
constexpr qreal kLegibleScale = 0.7;

void GraphView::focusKillChain()
{
    QRectF area;
    for (NodeItem* n : std::as_const(m_nodeItems))
        if (n->mark() == graph::Mark::KillChain) area |= n->sceneBoundingRect();
    if (area.isEmpty()) return fit();
    m_canvas->fitInView(area.adjusted(-60, -60, 60, 60), Qt::KeepAspectRatio);
    if (m_canvas->transform().m11() > 1.0) m_canvas->setTransform(QTransform());
    // A chain spread over a large graph would fit only at an unreadable scale: keep labels legible and centre on
    // the chain; the minimap shows where the rest is.
    if (m_canvas->transform().m11() < kLegibleScale) {
        m_canvas->setTransform(QTransform::fromScale(kLegibleScale, kLegibleScale));
        m_canvas->centerOn(area.center());
    }
    m_minimap->setVisible(true);
    m_minimap->viewport()->update();
}

void GraphView::fit()
{
    if (m_scene->items().isEmpty()) return;
    m_canvas->fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    // Never blow small graphs up past 1:1.
    if (m_canvas->transform().m11() > 1.0) m_canvas->setTransform(QTransform());
    m_minimap->setVisible(m_canvas->transform().m11() < 0.55);
    m_minimap->viewport()->update();
}

void GraphView::focusNeighbourhood(int nodeId)
{
    NodeItem* item = m_nodeItems.value(nodeId);
    if (!item) return;
    QRectF area = item->sceneBoundingRect();
    for (EdgeItem* e : std::as_const(m_edgeItems)) {
        if (e->from() != nodeId && e->to() != nodeId) continue;
        if (NodeItem* other = m_nodeItems.value(e->from() == nodeId ? e->to() : e->from())) area |= other->sceneBoundingRect();
    }
    m_canvas->fitInView(area.adjusted(-40, -40, 40, 40), Qt::KeepAspectRatio);
    if (m_canvas->transform().m11() > 1.0) m_canvas->setTransform(QTransform());
    // Neighbours spread over the whole graph would fit only at an unreadable scale (a tool called from every
    // session): keep labels legible and centre on the node itself, as focusKillChain() does.
    if (m_canvas->transform().m11() < kLegibleScale) {
        m_canvas->setTransform(QTransform::fromScale(kLegibleScale, kLegibleScale));
        m_canvas->centerOn(item);
    }
    m_minimap->setVisible(true);
}

void GraphView::zoomBy(double factor)
{
    const double now = m_canvas->transform().m11();
    const double next = std::clamp(now * factor, 0.02, 4.0);
    m_canvas->scale(next / now, next / now);
    const bool overflow = m_canvas->horizontalScrollBar()->maximum() > 0 || m_canvas->verticalScrollBar()->maximum() > 0;
    m_minimap->setVisible(overflow);
    m_minimap->viewport()->update();
}

void GraphView::toggleFold(int nodeId)
{
    if (!m_graph) return;
    const int fold = m_graph->foldOf(nodeId);
    if (fold < 0) return;
    if (m_graph->node(nodeId).kind == graph::NodeKind::More) {
        m_graph->showMore(nodeId);
        relayout();
        return;
    }
    // What was selected before stays the focus: opening a large fold shows its members linked to it first.
    if (m_currentNode >= 0 && m_currentNode != nodeId && m_graph->foldOf(m_currentNode) != fold) m_graph->setFocus(m_currentNode);
    m_graph->setExpanded(fold, !m_graph->isExpanded(fold));
    relayout();
}

void GraphView::unfoldByLabel(const QString& label)
{
    if (!m_graph) {
        m_pendingUnfold << label;
        return;
    }
    bool any = false;
    for (int id = 0; id < m_graph->nodeCount(); ++id) {
        const graph::Node& n = m_graph->node(id);
        if (n.isGroup() && fromStd(n.label) == label && !m_graph->isExpanded(id)) {
            m_graph->setExpanded(id, true);
            any = true;
        }
    }
    if (any) relayout();
}

void GraphView::nodeClicked(int nodeId)
{
    if (!m_graph) return;
    setCurrentNode(nodeId, false);
    if (!m_graph->node(nodeId).isGroup()) m_graph->setFocus(nodeId);
    const int64_t rowid = m_graph->representativeEvent(nodeId);
    if (rowid) m_selection->select(rowid, this);
}

void GraphView::nodeMenu(int nodeId, const QPoint& globalPos)
{
    const graph::Node& n = m_graph->node(nodeId);
    QMenu menu(this);
    const int fold = m_graph->foldOf(nodeId);
    if (fold >= 0) menu.addAction(m_graph->isExpanded(fold) ? tr("Fold") : tr("Unfold %1 members").arg(m_graph->node(fold).members), this,
                                  [this, nodeId] { toggleFold(nodeId); });
    if (n.kind == graph::NodeKind::Agent) menu.addAction(tr("Show this agent's events"), this, [this, n] {
        emit facetRequested(store::Facet::Agent, fromStd(n.label));
    });
    if (n.kind == graph::NodeKind::Session && !n.isGroup()) menu.addAction(tr("Show this session's events"), this, [this, n] {
        emit facetRequested(store::Facet::Session, fromStd(n.label));
    });
    if (n.kind == graph::NodeKind::Identity) menu.addAction(tr("Show events as this identity"), this, [this, n] {
        emit facetRequested(store::Facet::Identity, fromStd(n.label));
    });
    if (!n.isGroup() && n.kind != graph::NodeKind::Agent && n.kind != graph::NodeKind::Session && n.kind != graph::NodeKind::More)
        menu.addAction(tr("Search the evidence for “%1”").arg(fromStd(n.label)), this, [this, n] { emit searchRequested(fromStd(n.label)); });
    menu.addSeparator();
    menu.addAction(tr("Fit"), this, &GraphView::fit);
    menu.exec(globalPos);
}

void GraphView::setCurrentNode(int nodeId, bool ensureVisible)
{
    if (m_currentNode == nodeId) return;
    if (auto* old = m_nodeItems.value(m_currentNode)) old->setCurrent(false);
    m_currentNode = nodeId;
    NodeItem* item = m_nodeItems.value(nodeId);
    // Edges of the current node stand out; the rest step back so the path can be followed.
    for (EdgeItem* e : std::as_const(m_edgeItems))
        e->setEmphasis(item ? (e->from() == nodeId || e->to() == nodeId ? 1 : -1) : 0);
    QSet<int> linked{nodeId};
    for (EdgeItem* e : std::as_const(m_edgeItems)) {
        if (e->from() == nodeId) linked.insert(e->to());
        if (e->to() == nodeId) linked.insert(e->from());
    }
    for (NodeItem* n : std::as_const(m_nodeItems)) n->setDimmed(item && !linked.contains(n->nodeId()));
    if (!item) return;
    item->setCurrent(true);
    if (ensureVisible) {
        const QRectF visible = m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
        if (!visible.contains(item->sceneBoundingRect())) m_canvas->centerOn(item);
    }
}

void GraphView::followSelection(qint64 rowid, QObject* source)
{
    if (source == this || !m_graph) return;
    setCurrentNode(rowid ? m_graph->visibleNodeForEvent(rowid) : -1, true);
}

bool GraphView::waitUntilIdle(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while ((!isIdle() || (!m_graph && m_context->isOpen())) && t.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return isIdle() && (m_graph || !m_context->isOpen());
}

Status GraphView::exportTo(const QString& path)
{
    if (!m_graph) return makeError(ErrorCode::Usage, tr("no graph to export yet"));
    const QString lower = path.toLower();
    if (lower.endsWith(QLatin1String(".dot")) || lower.endsWith(QLatin1String(".gv"))) {
        graph::GraphLayout layout;
        auto dot = layout.render(layoutInput(m_view, true), "dot");
        if (!dot) return dot.error();
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly)) return makeError(ErrorCode::Io, f.errorString(), path);
        f.write(dot->data(), static_cast<qint64>(dot->size()));
        if (!f.commit()) return makeError(ErrorCode::Io, f.errorString(), path);
        return {};
    }
    const QRectF src = m_scene->sceneRect();
    if (lower.endsWith(QLatin1String(".svg"))) {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(src.size().toSize());
        gen.setViewBox(QRectF(QPointF(0, 0), src.size()));
        gen.setTitle(tr("Execution graph — %1").arg(m_context->title()));
        QPainter p(&gen);
        p.fillRect(QRectF(QPointF(0, 0), src.size()), palette().color(QPalette::Base));
        m_scene->render(&p, QRectF(QPointF(0, 0), src.size()), src);
        return {};
    }
    const double scale = std::min(2.0, 16000.0 / std::max(src.width(), src.height()));
    QImage img((src.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    img.fill(palette().color(QPalette::Base));
    QPainter p(&img);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    m_scene->render(&p, QRectF(QPointF(0, 0), img.size()), src);
    p.end();
    if (!img.save(path, "PNG")) return makeError(ErrorCode::Io, tr("cannot write PNG"), path);
    return {};
}

} // namespace chainsight::views
