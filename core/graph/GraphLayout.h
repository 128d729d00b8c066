// Graph layout and export through Graphviz's cgraph/gvc C API (in process, never by running `dot`). The caller
// gives node sizes in points (it measured its own labels); positions come back with the origin top-left, y down.
// Graphviz keeps global state: every call is serialised behind one lock, so any thread may call it.
#pragma once

#include "core/Result.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chainsight::graph {

struct LayoutNode
{
    int id = 0;
    double width = 72, height = 36; // points
    std::string label;              // used by render(), not by compute()
    std::string fill = "#ffffff", stroke = "#333333", fontColor = "#000000";
    std::string shape = "box";
    double penWidth = 1;
};

struct LayoutEdge
{
    int from = 0, to = 0; // LayoutNode ids
    std::string label;
    std::string color = "#666666";
    std::string style = "solid"; // solid, dashed, dotted, bold
    double penWidth = 1;
    double weight = 1;           // higher keeps the edge shorter and straighter
};

struct LayoutInput
{
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges;
    std::string rankdir = "LR";
    std::string engine = "dot";
    // > 0: lay out each connected component on its own and pack them in rows towards this width:height
    // (dot would stack them all along one side).
    double packAspect = 0;
};

struct Point
{
    double x = 0, y = 0;
};

struct NodeGeometry
{
    int id = 0;
    double x = 0, y = 0, width = 0, height = 0; // centre and size
};

struct EdgeGeometry
{
    std::vector<Point> bezier; // p0, (c1, c2, p)...: cubic Bézier pieces, the first point the start
    bool arrow = false;
    Point arrowTip;            // where the arrowhead points to (when arrow)
};

struct Layout
{
    double width = 0, height = 0;
    std::vector<NodeGeometry> nodes; // in input order
    std::vector<EdgeGeometry> edges; // in input order
};

class GraphLayout
{
public:
    GraphLayout();
    ~GraphLayout();

    Result<Layout> compute(const LayoutInput& input) const;
    // Lays out and renders with Graphviz: "dot" (the laid-out graph in DOT), "svg", "png", "canon" (plain DOT).
    Result<std::string> render(const LayoutInput& input, std::string_view format) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::graph
