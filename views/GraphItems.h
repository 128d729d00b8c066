// The execution graph's scene items: a node card (kind colour, label, detail line, fold badge, analysis mark,
// current-selection ring) and an edge (the Graphviz spline, an arrowhead, a count when it stands for many).
#pragma once

#include "core/graph/ExecutionGraph.h"
#include "core/graph/GraphLayout.h"

#include <QGraphicsItem>
#include <QGraphicsPathItem>

namespace chainsight::views {

class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    NodeItem(const graph::Node& node, bool expandable, bool expanded, QSizeF size);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    int nodeId() const { return m_id; }
    graph::Mark mark() const { return m_mark; }
    void setCurrent(bool current);
    void setDimmed(bool dimmed);

    // The size a node card needs for its text (used to ask Graphviz for room).
    static QSizeF measure(const graph::Node& node);

private:
    int m_id;
    graph::NodeKind m_kind;
    graph::Mark m_mark;
    QString m_label, m_detail, m_markLabel;
    bool m_expandable, m_expanded, m_current = false, m_dimmed = false;
    int m_blocks = 0;
    QSizeF m_size;
};

class EdgeItem : public QGraphicsPathItem
{
public:
    enum { Type = UserType + 2 };
    EdgeItem(const graph::Edge& edge, const graph::EdgeGeometry& geometry);
    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    int from() const { return m_edge.from; }
    int to() const { return m_edge.to; }
    void setEmphasis(int level); // 0 normal, 1 touching the current node, -1 faded

private:
    graph::Edge m_edge;
    QPolygonF m_arrow;
    QPointF m_mid;
    int m_emphasis = 0;
};

} // namespace chainsight::views
