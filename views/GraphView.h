// The execution graph panel: built from the case index and laid out by Graphviz off the UI thread, drawn in a
// QGraphicsView with zoom (wheel, +/-), pan (drag), fit (F), a minimap for large graphs, and export to SVG, PNG
// and DOT. Clicking a node selects the event it stands for; double-clicking a fold opens or closes it.
#pragma once

#include "core/graph/ExecutionGraph.h"
#include "core/graph/GraphLayout.h"
#include "core/store/CaseQueries.h"

#include <QGraphicsView>
#include <QHash>
#include <QWidget>

#include <memory>

class QGraphicsScene;
class QLabel;
class QToolBar;

namespace chainsight::views {

class AnalysisService;
class CaseContext;
class EventSelection;
class GraphCanvas;
class GraphMinimap;
class NodeItem;
class EdgeItem;

class GraphView : public QWidget
{
    Q_OBJECT
public:
    GraphView(CaseContext* context, EventSelection* selection, QWidget* parent = nullptr);
    ~GraphView() override;

    // The graph, for the analysis to mark (addHighlight*) before calling relayout(). nullptr until built.
    graph::ExecutionGraph* graph() const { return m_graph.get(); }
    void relayout();
    // Draws the analysis on the graph once it is ready: taint edges, and the kill chain (injection sources, the
    // harmful actions they led to) marked, their folds opened, and the first view framed on it.
    void setAnalysis(AnalysisService* analysis);
    bool hasKillChain() const { return m_killChain; }
    // Frames the kill chain (K); fits the whole graph when there is none.
    void focusKillChain();
    // Shows every taint edge, not just those of the kill chain and of injected values.
    void setShowAllTaint(bool all);
    void toggleFold(int nodeId);
    // Opens the folds with this label (e.g. a tool name), now or once the graph is built.
    void unfoldByLabel(const QString& label);

    bool isIdle() const { return !m_building && !m_layingOut; }
    bool waitUntilIdle(int timeoutMs = 30000);
    qint64 buildMs() const { return m_buildMs; }
    qint64 layoutMs() const { return m_layoutMs; }
    int visibleNodeCount() const { return static_cast<int>(m_nodeItems.size()); }
    NodeItem* nodeItem(int nodeId) const { return m_nodeItems.value(nodeId); }
    QGraphicsScene* scene() const { return m_scene; }
    QAction* exportAction() const { return m_exportAction; }

    void fit();
    // Zooms to a node and its neighbours.
    void focusNeighbourhood(int nodeId);
    void zoomBy(double factor);
    Status exportTo(const QString& path); // by suffix: .svg, .png, .dot/.gv

signals:
    void idle();
    void facetRequested(store::Facet facet, const QString& value);
    void searchRequested(const QString& text);

private:
    friend class GraphCanvas;
    void build();
    void placeScene(const graph::ExecutionGraph::View& view, const graph::Layout& layout);
    void followSelection(qint64 rowid, QObject* source);
    void setCurrentNode(int nodeId, bool ensureVisible);
    void nodeClicked(int nodeId);
    void nodeMenu(int nodeId, const QPoint& globalPos);
    graph::LayoutInput layoutInput(const graph::ExecutionGraph::View& view, bool withStyle) const;
    void setMessage(const QString& text);
    bool markGraph(); // true when it marked something

    CaseContext* m_context;
    EventSelection* m_selection;
    QToolBar* m_toolbar;
    QGraphicsScene* m_scene;
    GraphCanvas* m_canvas;
    GraphMinimap* m_minimap;
    QLabel* m_message;
    QLabel* m_legend;
    QAction* m_exportAction;
    QAction* m_killChainAction;
    AnalysisService* m_analysis = nullptr;
    bool m_killChain = false, m_showAllTaint = false;
    std::shared_ptr<graph::ExecutionGraph> m_graph;
    graph::ExecutionGraph::View m_view;
    QHash<int, NodeItem*> m_nodeItems;
    QList<EdgeItem*> m_edgeItems;
    int m_currentNode = -1;
    QStringList m_pendingUnfold;
    int m_generation = 0;
    bool m_building = false, m_layingOut = false, m_relayoutPending = false, m_fitPending = true;
    qint64 m_buildMs = 0, m_layoutMs = 0;
};

} // namespace chainsight::views
