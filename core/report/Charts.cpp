// The report's timeline chart and execution graph picture (see Charts.h).
#include "core/report/Charts.h"
#include "core/graph/ExecutionGraph.h"
#include "core/graph/GraphLayout.h"
#include "core/model/Palette.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace chainsight::report {

namespace {

const QColor kKill(0xc6, 0x28, 0x28);
const QColor kInk(0x22, 0x2b, 0x36);
const QColor kGrid(0xd8, 0xdd, 0xe3);

QColor typeColor(int type)
{
    if (type < 0 || type >= kEventTypeCount) return Qt::gray;
    const std::string_view hex = eventTypeColor(static_cast<EventType>(type)); // the workbench's palette
    return QColor(QLatin1String(hex.data(), static_cast<qsizetype>(hex.size())));
}

QColor kindColor(graph::NodeKind k)
{
    switch (k) {
    case graph::NodeKind::Agent:
        return QColor(0x1e, 0x63, 0xb4);
    case graph::NodeKind::Session:
        return QColor(0x60, 0x7d, 0x8b);
    case graph::NodeKind::Source:
        return QColor(0x3f, 0x51, 0xb5);
    case graph::NodeKind::Document:
        return QColor(0x0f, 0x9d, 0x58);
    case graph::NodeKind::Tool:
    case graph::NodeKind::Call:
        return QColor(0x8e, 0x24, 0xaa);
    case graph::NodeKind::Identity:
        return QColor(0xef, 0x6c, 0x00);
    case graph::NodeKind::Destination:
        return QColor(0xd8, 0x43, 0x15);
    case graph::NodeKind::Memory:
        return QColor(0x6d, 0x4c, 0x41);
    case graph::NodeKind::Runtime:
        return QColor(0x45, 0x5a, 0x64);
    case graph::NodeKind::More:
        break;
    }
    return QColor(0x90, 0x90, 0x90);
}

QString elide(const QFontMetricsF& fm, const std::string& s, double w)
{
    return fm.elidedText(fromStd(s), Qt::ElideMiddle, w);
}

} // namespace

QImage timelineChart(const ReportData& data, int width, int height)
{
    QImage img(width, height, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(15);
    p.setFont(font);
    const QFontMetricsF fm(font);
    const double left = 70, right = 20, top = 40, bottom = 110;
    const QRectF plot(left, top, width - left - right, height - top - bottom);
    const int64_t from = data.minTs, to = std::max(data.maxTs, data.minTs + 1);

    p.setPen(kInk);
    p.drawText(QPointF(left, 24), QStringLiteral("Events per minute by type, %1 – %2 UTC; red lines: kill chain")
                                      .arg(fromStd(formatTs(from)).left(16).replace(QLatin1Char('T'), QLatin1Char(' ')),
                                           fromStd(formatTs(to)).mid(11, 5)));
    const int bins = std::clamp(static_cast<int>((to - from) / 60'000'000'000LL) + 1, 12, 240);
    std::vector<std::array<int64_t, kEventTypeCount>> counts(bins);
    for (auto& c : counts)
        c.fill(0);
    if (data.index) {
        const auto& ix = *data.index;
        for (size_t i = 0; i < ix.size(); ++i) {
            const int b = std::clamp(static_cast<int>((ix.ts[i] - from) * bins / (to - from + 1)), 0, bins - 1);
            counts[b][ix.types[i]]++;
        }
    }
    int64_t maxStack = 1;
    for (const auto& c : counts) {
        int64_t s = 0;
        for (auto v : c)
            s += v;
        maxStack = std::max(maxStack, s);
    }
    // Grid and axis labels.
    p.setPen(QPen(kGrid, 1));
    for (int g = 0; g <= 4; ++g) {
        const double y = plot.bottom() - plot.height() * g / 4.0;
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.save();
        p.setPen(kInk);
        p.drawText(QRectF(0, y - 10, left - 8, 20), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(std::llround(maxStack * g / 4.0)));
        p.restore();
    }
    const double bw = plot.width() / bins;
    for (int b = 0; b < bins; ++b) {
        double y = plot.bottom();
        for (int t = 0; t < kEventTypeCount; ++t) {
            if (!counts[b][t]) continue;
            const double h = plot.height() * counts[b][t] / maxStack;
            p.fillRect(QRectF(plot.left() + b * bw + 0.5, y - h, std::max(1.0, bw - 1), h), typeColor(t));
            y -= h;
        }
    }
    p.setPen(kInk);
    for (int k = 0; k <= 4; ++k) {
        const int64_t t = from + (to - from) * k / 4;
        const double x = plot.left() + plot.width() * k / 4.0;
        const QString label = fromStd(formatTs(t)).mid(11, 8);
        const double w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(x - w / 2, 0.0, width - w), plot.bottom() + 20), label);
    }
    // Kill chain marks.
    p.setPen(QPen(kKill, 2));
    for (const auto& s : data.killChain) {
        if (s.role == KillChainStep::Role::Context) continue;
        const double x = plot.left() + plot.width() * double(s.tsNs - from) / double(to - from);
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        if (s.role == KillChainStep::Role::Source) {
            QPolygonF tri;
            tri << QPointF(x - 6, plot.top() - 10) << QPointF(x + 6, plot.top() - 10) << QPointF(x, plot.top());
            p.setBrush(kKill);
            p.drawPolygon(tri);
            p.setBrush(Qt::NoBrush);
        }
    }
    // Legend: the types present.
    double lx = left, ly = plot.bottom() + 40;
    for (int t = 0; t < kEventTypeCount; ++t) {
        bool any = false;
        for (const auto& c : counts)
            any = any || c[t];
        if (!any) continue;
        const QString name = fromStd(std::string(eventTypeName(static_cast<EventType>(t))));
        const double w = 22 + fm.horizontalAdvance(name) + 18;
        if (lx + w > width - right) {
            lx = left;
            ly += 24;
        }
        p.fillRect(QRectF(lx, ly - 12, 14, 14), typeColor(t));
        p.setPen(kInk);
        p.drawText(QPointF(lx + 20, ly), name);
        lx += w;
    }
    p.setPen(QPen(kKill, 2));
    if (lx + 200 > width - right) {
        lx = left;
        ly += 24;
    }
    p.drawLine(QPointF(lx, ly - 12), QPointF(lx, ly + 2));
    p.setPen(kInk);
    p.drawText(QPointF(lx + 8, ly), QStringLiteral("kill chain (▼ source)"));
    return img;
}

QImage executionGraphImage(const ReportData& data, int maxWidth)
{
    if (!data.index) return {};
    auto g = graph::ExecutionGraph::build(data.index);
    for (const auto& s : data.killChain)
        if (s.role != KillChainStep::Role::Context) g->addHighlightNode(s.rowid, graph::Mark::KillChain, s.eventId);
    std::map<std::string, int64_t> rowOf;
    for (const auto& s : data.killChain)
        rowOf[s.eventId] = s.rowid;
    for (const auto& t : data.analysis.taint) {
        if (!t.harmful || !rowOf.count(t.source) || !rowOf.count(t.action)) continue;
        g->addHighlightEdge(rowOf[t.source], rowOf[t.action], graph::Mark::KillChain, t.value);
    }
    const auto view = g->visible();

    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(11);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF fm(font), fmb(bold);
    const double maxLabel = 190;
    graph::LayoutInput in;
    in.packAspect = 1.5;
    for (int id : view.nodes) {
        const graph::Node& n = g->node(id);
        graph::LayoutNode ln;
        ln.id = id;
        const double w = std::max(fmb.horizontalAdvance(fromStd(n.label)), fm.horizontalAdvance(fromStd(n.detail)));
        ln.width = std::min(w, maxLabel) + 16;
        ln.height = fm.height() * 2 + 10;
        in.nodes.push_back(ln);
    }
    for (const auto& e : view.edges) {
        graph::LayoutEdge le;
        le.from = e.from;
        le.to = e.to;
        le.weight = e.kind == graph::EdgeKind::Runs || e.kind == graph::EdgeKind::Calls ? 2 : 1;
        in.edges.push_back(le);
    }
    graph::GraphLayout layouter;
    auto layout = layouter.compute(in);
    if (!layout || layout->width <= 0) return {};
    const double margin = 16;
    const double scale = std::min(2.0, (maxWidth - 2 * margin) / layout->width);
    const int w = static_cast<int>(layout->width * scale + 2 * margin);
    const int h = static_cast<int>(layout->height * scale + 2 * margin);
    QImage img(w, h, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.translate(margin, margin);
    p.scale(scale, scale);

    // Edges first, kill-chain edges on top.
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t i = 0; i < view.edges.size() && i < layout->edges.size(); ++i) {
            const auto& e = view.edges[i];
            const bool kill = e.mark == graph::Mark::KillChain;
            if (kill != (pass == 1)) continue;
            const auto& geo = layout->edges[i];
            if (geo.bezier.empty()) continue;
            QPainterPath path(QPointF(geo.bezier[0].x, geo.bezier[0].y));
            for (size_t k = 1; k + 2 < geo.bezier.size(); k += 3)
                path.cubicTo(geo.bezier[k].x, geo.bezier[k].y, geo.bezier[k + 1].x, geo.bezier[k + 1].y,
                             geo.bezier[k + 2].x, geo.bezier[k + 2].y);
            const QColor c = kill ? kKill : QColor(0x9a, 0xa5, 0xb1);
            p.setPen(QPen(c, kill ? 3 : 1, e.kind == graph::EdgeKind::Retrieval ? Qt::DashLine : Qt::SolidLine));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
            if (geo.arrow) {
                const QPointF tip(geo.arrowTip.x, geo.arrowTip.y);
                const QPointF from = path.pointAtPercent(0.98);
                QLineF dir(tip, from);
                dir.setLength(8);
                QLineF a = dir, b = dir;
                a.setAngle(dir.angle() + 25);
                b.setAngle(dir.angle() - 25);
                p.setBrush(c);
                p.drawPolygon(QPolygonF() << tip << a.p2() << b.p2());
            }
        }
    }
    for (size_t i = 0; i < view.nodes.size() && i < layout->nodes.size(); ++i) {
        const graph::Node& n = g->node(view.nodes[i]);
        const auto& geo = layout->nodes[i];
        const QRectF r(geo.x - geo.width / 2, geo.y - geo.height / 2, geo.width, geo.height);
        const bool kill = n.mark == graph::Mark::KillChain;
        const QColor c = kindColor(n.kind);
        p.setPen(QPen(kill ? kKill : c, kill ? 3 : 1.2));
        p.setBrush(kill ? QColor(0xfd, 0xe8, 0xe8) : QColor::fromHsvF(c.hsvHueF(), 0.08, 1.0));
        p.drawRoundedRect(r, 5, 5);
        p.setPen(kInk);
        p.setFont(bold);
        p.drawText(QRectF(r.left() + 8, r.top() + 4, r.width() - 16, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   elide(fmb, n.label, r.width() - 16));
        p.setFont(font);
        p.setPen(QColor(0x55, 0x60, 0x6b));
        p.drawText(QRectF(r.left() + 8, r.top() + 4 + fm.height(), r.width() - 16, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   elide(fm, n.markLabel.empty() ? n.detail : n.markLabel + " · " + n.detail, r.width() - 16));
    }
    return img;
}

} // namespace chainsight::report
