// Graphviz behind the wall: builds a cgraph graph from LayoutInput, runs gvLayout and reads positions and splines
// back (ND_coord, ED_spl), or renders it with gvRenderData.
#include "core/graph/GraphLayout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <QString>

#include <cmath>
#include <cstdio>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace chainsight::graph {

namespace {
std::mutex& graphvizLock()
{
    static std::mutex m;
    return m;
}

char* cs(const char* s) { return const_cast<char*>(s); }

void set(void* obj, const char* name, const std::string& value) { agsafeset(obj, cs(name), cs(value.c_str()), cs("")); }

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

// The graph as Graphviz objects; freed with the layout.
struct Built
{
    Agraph_t* g = nullptr;
    std::vector<Agnode_t*> nodes;
    std::vector<Agedge_t*> edges;
};

Built buildGraph(const LayoutInput& in, bool withLabels)
{
    Built b;
    b.g = agopen(cs("chainsight"), Agdirected, nullptr);
    set(b.g, "rankdir", in.rankdir);
    set(b.g, "nodesep", "0.25");
    set(b.g, "ranksep", "0.55");
    set(b.g, "outputorder", "edgesfirst");
    if (in.nodes.size() > 250) {
        // Large graphs: fewer crossing-minimisation rounds keep layout under a second.
        set(b.g, "mclimit", "0.1");
        set(b.g, "nslimit", "2");
        set(b.g, "nslimit1", "2");
        set(b.g, "searchsize", "20");
    }
    if (withLabels) {
        set(b.g, "bgcolor", "transparent");
        agattr(b.g, AGNODE, cs("fontname"), cs("Sans"));
        agattr(b.g, AGNODE, cs("fontsize"), cs("10"));
        agattr(b.g, AGEDGE, cs("fontname"), cs("Sans"));
        agattr(b.g, AGEDGE, cs("fontsize"), cs("9"));
    }
    std::unordered_map<int, size_t> at;
    b.nodes.reserve(in.nodes.size());
    for (size_t i = 0; i < in.nodes.size(); ++i) {
        const LayoutNode& n = in.nodes[i];
        const std::string name = "n" + std::to_string(n.id);
        Agnode_t* an = agnode(b.g, cs(name.c_str()), 1);
        set(an, "shape", n.shape);
        set(an, "width", num(n.width / 72.0));
        set(an, "height", num(n.height / 72.0));
        set(an, "fixedsize", "true");
        if (withLabels) {
            set(an, "label", n.label);
            set(an, "style", "filled,rounded");
            set(an, "fillcolor", n.fill);
            set(an, "color", n.stroke);
            set(an, "fontcolor", n.fontColor);
            set(an, "penwidth", num(n.penWidth));
        } else {
            set(an, "label", "");
        }
        at.emplace(n.id, i);
        b.nodes.push_back(an);
    }
    b.edges.reserve(in.edges.size());
    for (size_t i = 0; i < in.edges.size(); ++i) {
        const LayoutEdge& e = in.edges[i];
        auto f = at.find(e.from), t = at.find(e.to);
        if (f == at.end() || t == at.end()) {
            b.edges.push_back(nullptr);
            continue;
        }
        const std::string name = "e" + std::to_string(i);
        Agedge_t* ae = agedge(b.g, b.nodes[f->second], b.nodes[t->second], cs(name.c_str()), 1);
        if (e.weight != 1) set(ae, "weight", num(e.weight));
        if (withLabels) {
            set(ae, "color", e.color);
            set(ae, "style", e.style);
            set(ae, "penwidth", num(e.penWidth));
            if (!e.label.empty()) set(ae, "label", e.label);
        }
        b.edges.push_back(ae);
    }
    return b;
}
} // namespace

struct GraphLayout::Impl
{
};

GraphLayout::GraphLayout() : d(std::make_unique<Impl>()) {}
GraphLayout::~GraphLayout() = default;

namespace {
Result<Layout> layoutOne(GVC_t* gvc, const LayoutInput& input);

// Connected components, each laid out alone, then packed in rows (shelves) towards the wanted aspect.
Result<Layout> layoutPacked(GVC_t* gvc, const LayoutInput& input)
{
    std::unordered_map<int, int> at;
    for (size_t i = 0; i < input.nodes.size(); ++i) at.emplace(input.nodes[i].id, static_cast<int>(i));
    std::vector<int> parent(input.nodes.size());
    for (size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
    std::function<int(int)> find = [&](int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); };
    for (const LayoutEdge& e : input.edges) {
        auto f = at.find(e.from), t = at.find(e.to);
        if (f != at.end() && t != at.end()) parent[find(f->second)] = find(t->second);
    }
    std::unordered_map<int, size_t> compOf;
    std::vector<LayoutInput> comps;
    std::vector<std::vector<size_t>> nodeIdx, edgeIdx;
    for (size_t i = 0; i < input.nodes.size(); ++i) {
        auto [it, fresh] = compOf.emplace(find(static_cast<int>(i)), comps.size());
        if (fresh) {
            comps.emplace_back();
            comps.back().rankdir = input.rankdir;
            comps.back().engine = input.engine;
            nodeIdx.emplace_back();
            edgeIdx.emplace_back();
        }
        comps[it->second].nodes.push_back(input.nodes[i]);
        nodeIdx[it->second].push_back(i);
    }
    for (size_t i = 0; i < input.edges.size(); ++i) {
        auto f = at.find(input.edges[i].from);
        if (f == at.end() || at.find(input.edges[i].to) == at.end()) continue;
        const size_t c = compOf[find(f->second)];
        comps[c].edges.push_back(input.edges[i]);
        edgeIdx[c].push_back(i);
    }
    std::vector<Layout> parts;
    double area = 0;
    for (const LayoutInput& c : comps) {
        auto l = layoutOne(gvc, c);
        if (!l) return l.error();
        area += (l->width + 30) * (l->height + 30);
        parts.push_back(std::move(*l));
    }
    std::vector<size_t> order(parts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return parts[a].height > parts[b].height; });
    double target = std::sqrt(area * input.packAspect);
    for (const Layout& l : parts) target = std::max(target, l.width);
    Layout out;
    out.nodes.resize(input.nodes.size());
    out.edges.resize(input.edges.size());
    double x = 0, y = 0, shelf = 0;
    constexpr double gap = 40;
    for (size_t k : order) {
        const Layout& l = parts[k];
        if (x > 0 && x + l.width > target) {
            x = 0;
            y += shelf + gap;
            shelf = 0;
        }
        for (size_t i = 0; i < l.nodes.size(); ++i) {
            NodeGeometry g = l.nodes[i];
            g.x += x;
            g.y += y;
            out.nodes[nodeIdx[k][i]] = g;
        }
        for (size_t i = 0; i < l.edges.size(); ++i) {
            EdgeGeometry g = l.edges[i];
            for (Point& p : g.bezier) {
                p.x += x;
                p.y += y;
            }
            g.arrowTip.x += x;
            g.arrowTip.y += y;
            out.edges[edgeIdx[k][i]] = std::move(g);
        }
        x += l.width + gap;
        shelf = std::max(shelf, l.height);
        out.width = std::max(out.width, x - gap);
        out.height = std::max(out.height, y + shelf);
    }
    return out;
}

Result<Layout> layoutOne(GVC_t* gvc, const LayoutInput& input)
{
    Built b = buildGraph(input, false);
    Layout out;
    if (gvLayout(gvc, b.g, input.engine.c_str()) != 0) {
        agclose(b.g);
        return makeError(ErrorCode::Internal, QStringLiteral("Graphviz layout \"%1\" failed").arg(QString::fromStdString(input.engine)));
    }
    const boxf bb = GD_bb(b.g);
    out.width = bb.UR.x - bb.LL.x;
    out.height = bb.UR.y - bb.LL.y;
    auto flip = [&](pointf p) { return Point{p.x - bb.LL.x, bb.UR.y - p.y}; };
    out.nodes.reserve(b.nodes.size());
    for (size_t i = 0; i < b.nodes.size(); ++i) {
        Agnode_t* n = b.nodes[i];
        const Point c = flip(ND_coord(n));
        out.nodes.push_back({input.nodes[i].id, c.x, c.y, ND_width(n) * 72.0, ND_height(n) * 72.0});
    }
    out.edges.resize(b.edges.size());
    for (size_t i = 0; i < b.edges.size(); ++i) {
        Agedge_t* e = b.edges[i];
        if (!e || !ED_spl(e) || ED_spl(e)->size < 1) continue;
        const bezier& bz = ED_spl(e)->list[0];
        EdgeGeometry& eg = out.edges[i];
        eg.bezier.reserve(static_cast<size_t>(bz.size));
        for (int k = 0; k < bz.size; ++k) eg.bezier.push_back(flip(bz.list[k]));
        if (bz.eflag) {
            eg.arrow = true;
            eg.arrowTip = flip(bz.ep);
        }
    }
    gvFreeLayout(gvc, b.g);
    agclose(b.g);
    return out;
}
} // namespace

Result<Layout> GraphLayout::compute(const LayoutInput& input) const
{
    std::lock_guard<std::mutex> lock(graphvizLock());
    GVC_t* gvc = gvContext();
    if (!gvc) return makeError(ErrorCode::Internal, QStringLiteral("Graphviz could not start"));
    auto out = input.packAspect > 0 ? layoutPacked(gvc, input) : layoutOne(gvc, input);
    gvFreeContext(gvc);
    return out;
}

Result<std::string> GraphLayout::render(const LayoutInput& input, std::string_view format) const
{
    std::lock_guard<std::mutex> lock(graphvizLock());
    GVC_t* gvc = gvContext();
    if (!gvc) return makeError(ErrorCode::Internal, QStringLiteral("Graphviz could not start"));
    Built b = buildGraph(input, true);
    const std::string fmt(format);
    std::string out;
    Status status;
    if (gvLayout(gvc, b.g, input.engine.c_str()) != 0) {
        status = makeError(ErrorCode::Internal, QStringLiteral("Graphviz layout failed"));
    } else {
        char* data = nullptr;
        unsigned int len = 0;
        if (gvRenderData(gvc, b.g, fmt.c_str(), &data, &len) != 0 || !data) {
            status = makeError(ErrorCode::Internal, QStringLiteral("Graphviz cannot render \"%1\" here").arg(QString::fromStdString(fmt)));
        } else {
            out.assign(data, len);
        }
        if (data) gvFreeRenderData(data);
        gvFreeLayout(gvc, b.g);
    }
    agclose(b.g);
    gvFreeContext(gvc);
    if (!status) return status.error();
    return out;
}

} // namespace chainsight::graph
