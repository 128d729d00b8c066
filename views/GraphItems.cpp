// Painting of graph nodes and edges; see GraphItems.h.
#include "views/GraphItems.h"

#include "views/Theme.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QtMath>

namespace chainsight::views {

namespace {
constexpr double kPadX = 10, kPadY = 5, kStripe = 5, kMaxText = 230;

QFont labelFont()
{
    QFont f = QApplication::font();
    f.setBold(true);
    return f;
}
QFont detailFont()
{
    QFont f = QApplication::font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    return f;
}
QString kindWord(graph::NodeKind k)
{
    using graph::NodeKind;
    switch (k) {
    case NodeKind::Agent:
        return QObject::tr("AGENT");
    case NodeKind::Session:
        return QObject::tr("SESSION");
    case NodeKind::Source:
        return QObject::tr("PROMPT");
    case NodeKind::Document:
        return QObject::tr("DOC");
    case NodeKind::Tool:
        return QObject::tr("TOOL");
    case NodeKind::Call:
        return QObject::tr("CALL");
    case NodeKind::Identity:
        return QObject::tr("IDENTITY");
    case NodeKind::Destination:
        return QObject::tr("EGRESS");
    case NodeKind::Memory:
        return QObject::tr("MEMORY");
    case NodeKind::Runtime:
        return QObject::tr("RUNTIME");
    case NodeKind::More:
        return QString();
    }
    return {};
}
QString detailLine(const graph::Node& n)
{
    const QString kind = kindWord(n.kind);
    const QString d = fromStd(n.detail);
    return kind.isEmpty() ? d : (d.isEmpty() ? kind : kind + QStringLiteral(" · ") + d);
}
} // namespace

QSizeF NodeItem::measure(const graph::Node& n)
{
    const QFontMetricsF lf(labelFont()), df(detailFont());
    double w = std::max(lf.horizontalAdvance(fromStd(n.label)), df.horizontalAdvance(detailLine(n)));
    if (n.isGroup()) w += 22; // the fold badge
    w = std::min(w, kMaxText) + 2 * kPadX + kStripe;
    const double h = lf.height() + df.height() + 2 * kPadY + 2;
    return {std::max(w, 60.0), h};
}

NodeItem::NodeItem(const graph::Node& node, bool expandable, bool expanded, QSizeF size)
    : m_id(node.id), m_kind(node.kind), m_mark(node.mark), m_label(fromStd(node.label)), m_detail(detailLine(node)),
      m_markLabel(fromStd(node.markLabel)), m_expandable(expandable), m_expanded(expanded), m_blocks(static_cast<int>(node.verdicts[3])), m_size(size)
{
    setAcceptHoverEvents(true);
    setCursor(Qt::PointingHandCursor);
    QString tip = QStringLiteral("<b>%1</b><br>%2").arg(m_label.toHtmlEscaped(), m_detail.toHtmlEscaped());
    if (!node.agent.empty() && node.kind != graph::NodeKind::Agent) tip += QObject::tr("<br>agent: %1").arg(fromStd(node.agent));
    if (node.firstTs) tip += QObject::tr("<br>%1 → %2").arg(timeLong(node.firstTs), timeLong(node.lastTs));
    if (!m_markLabel.isEmpty()) tip += QStringLiteral("<br><b>%1</b>").arg(m_markLabel.toHtmlEscaped());
    if (expandable) tip += expanded ? QObject::tr("<br><i>Double-click to fold</i>") : QObject::tr("<br><i>Double-click to unfold %1 members</i>").arg(node.members);
    setToolTip(tip);
    setZValue(1);
}

QRectF NodeItem::boundingRect() const
{
    return QRectF(-m_size.width() / 2 - 4, -m_size.height() / 2 - 4, m_size.width() + 8, m_size.height() + 8);
}

void NodeItem::setCurrent(bool current)
{
    if (m_current == current) return;
    m_current = current;
    setZValue(current ? 3 : 1);
    update();
}

void NodeItem::setDimmed(bool dimmed)
{
    if (m_dimmed == dimmed) return;
    m_dimmed = dimmed;
    update();
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QPalette pal = QApplication::palette();
    const QRectF r(-m_size.width() / 2, -m_size.height() / 2, m_size.width(), m_size.height());
    const QColor kind = nodeColor(m_kind);
    p->setRenderHint(QPainter::Antialiasing);
    p->setOpacity(m_dimmed ? 0.45 : 1.0);
    // Folded nodes look stacked.
    if (m_expandable && !m_expanded) {
        p->setPen(QPen(soften(kind, 0.4), 1));
        p->setBrush(pal.color(QPalette::Base));
        p->drawRoundedRect(r.translated(4, 4), 6, 6);
        p->drawRoundedRect(r.translated(2, 2), 6, 6);
    }
    QColor border = soften(kind, 0.35);
    double width = 1.2;
    if (m_mark != graph::Mark::None) {
        border = markColor(m_mark);
        width = 2.5;
    }
    if (m_blocks > 0 && m_mark == graph::Mark::None) {
        border = verdictColor(Verdict::Block);
        width = 2;
    }
    if (m_current) {
        border = pal.color(QPalette::Highlight);
        width = 3.5;
    }
    p->setPen(QPen(border, width));
    p->setBrush(soften(kind, isDark() ? 0.8 : 0.88));
    p->drawRoundedRect(r, 6, 6);
    // The kind stripe.
    QPainterPath stripe;
    stripe.addRoundedRect(QRectF(r.left(), r.top(), kStripe + 6, r.height()), 6, 6);
    QPainterPath clip;
    clip.addRect(QRectF(r.left(), r.top(), kStripe, r.height()));
    p->fillPath(stripe.intersected(clip), kind);

    const QRectF text = r.adjusted(kStripe + kPadX - 2, kPadY, -kPadX - (m_expandable ? 20 : 0), -kPadY);
    const QFont lf = labelFont(), df = detailFont();
    const QFontMetricsF lm(lf), dm(df);
    p->setPen(pal.color(QPalette::Text));
    p->setFont(lf);
    p->drawText(QRectF(text.left(), text.top(), text.width(), lm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                lm.elidedText(m_label, Qt::ElideMiddle, text.width()));
    p->setFont(df);
    p->setPen(m_blocks > 0 ? verdictColor(Verdict::Block) : pal.color(QPalette::PlaceholderText));
    p->drawText(QRectF(text.left(), text.top() + lm.height() + 1, text.width(), dm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                dm.elidedText(m_detail, Qt::ElideRight, text.width()));
    if (m_expandable) {
        const QRectF badge(r.right() - 20, r.center().y() - 8, 16, 16);
        p->setPen(QPen(kind, 1.2));
        p->setBrush(pal.color(QPalette::Base));
        p->drawEllipse(badge);
        p->setFont(lf);
        p->drawText(badge, Qt::AlignCenter, m_expanded ? QStringLiteral("−") : QStringLiteral("+"));
    }
    if (!m_markLabel.isEmpty()) {
        p->setFont(df);
        const QColor mc = markColor(m_mark);
        const QRectF tag(r.left(), r.top() - dm.height() - 2, dm.horizontalAdvance(m_markLabel) + 10, dm.height() + 2);
        p->setPen(Qt::NoPen);
        p->setBrush(mc);
        p->drawRoundedRect(tag, 3, 3);
        p->setPen(Qt::white);
        p->drawText(tag, Qt::AlignCenter, m_markLabel);
    }
}

EdgeItem::EdgeItem(const graph::Edge& edge, const graph::EdgeGeometry& g) : m_edge(edge)
{
    QPainterPath path;
    if (!g.bezier.empty()) {
        path.moveTo(g.bezier[0].x, g.bezier[0].y);
        for (size_t i = 1; i + 2 < g.bezier.size(); i += 3)
            path.cubicTo(g.bezier[i].x, g.bezier[i].y, g.bezier[i + 1].x, g.bezier[i + 1].y, g.bezier[i + 2].x, g.bezier[i + 2].y);
    }
    setPath(path);
    m_mid = path.pointAtPercent(0.5);
    if (g.arrow && !g.bezier.empty()) {
        const QPointF tip(g.arrowTip.x, g.arrowTip.y);
        const QPointF from(g.bezier.back().x, g.bezier.back().y);
        const QLineF line(from, tip);
        const double len = std::max(1.0, line.length());
        const QPointF dir = (tip - from) / len;
        const QPointF normal(-dir.y(), dir.x());
        m_arrow << tip << (tip - dir * 9 + normal * 4) << (tip - dir * 9 - normal * 4);
    }
    setZValue(0);
    QString tip = QObject::tr("%1 edge").arg(fromStd(std::string(graph::edgeKindName(edge.kind))));
    if (edge.count > 1) tip += QObject::tr(" · %1 events").arg(edge.count);
    if (!edge.label.empty()) tip += QStringLiteral(" · ") + fromStd(edge.label);
    setToolTip(tip);
}

QRectF EdgeItem::boundingRect() const { return QGraphicsPathItem::boundingRect().united(m_arrow.boundingRect()).adjusted(-30, -12, 30, 12); }

void EdgeItem::setEmphasis(int level)
{
    if (m_emphasis == level) return;
    m_emphasis = level;
    update();
}

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*)
{
    using graph::EdgeKind;
    QColor c = edgeColor(m_edge.kind);
    if (m_edge.mark != graph::Mark::None) c = markColor(m_edge.mark);
    double w = 1.2;
    Qt::PenStyle style = Qt::SolidLine;
    switch (m_edge.kind) {
    case EdgeKind::Causal:
        w = 1.8;
        break;
    case EdgeKind::Retrieval:
        style = Qt::DashLine;
        break;
    case EdgeKind::Context:
        style = Qt::DotLine;
        w = 1.5;
        break;
    case EdgeKind::Identity:
    case EdgeKind::Delegation:
        style = Qt::DashDotLine;
        break;
    case EdgeKind::Highlight:
        w = 3;
        break;
    default:
        break;
    }
    if (m_edge.count > 1) w += std::min(2.0, std::log10(static_cast<double>(m_edge.count)) * 0.6);
    if (m_emphasis > 0) w += 1.5;
    p->setRenderHint(QPainter::Antialiasing);
    p->setOpacity(m_emphasis < 0 ? 0.25 : 1.0);
    QPen pen(c, w, style);
    pen.setCapStyle(Qt::RoundCap);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
    if (!m_arrow.isEmpty()) {
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        p->drawPolygon(m_arrow);
    }
    QString label = m_edge.label.empty() ? QString() : fromStd(m_edge.label);
    if (m_edge.count > 1 && m_edge.kind != EdgeKind::Highlight) label = (label.isEmpty() ? QString() : label + QLatin1Char(' ')) + QStringLiteral("×%1").arg(m_edge.count);
    if (!label.isEmpty() && m_emphasis >= 0 && (m_edge.kind == EdgeKind::Causal || m_edge.kind == EdgeKind::Context || m_edge.kind == EdgeKind::Highlight || m_emphasis > 0)) {
        QFont f = QApplication::font();
        f.setPointSizeF(f.pointSizeF() * 0.8);
        p->setFont(f);
        const QFontMetricsF fm(f);
        const QRectF box(m_mid.x() - fm.horizontalAdvance(label) / 2 - 3, m_mid.y() - fm.height() / 2, fm.horizontalAdvance(label) + 6, fm.height());
        p->setPen(Qt::NoPen);
        p->setBrush(QApplication::palette().color(QPalette::Base));
        p->drawRoundedRect(box, 3, 3);
        p->setPen(c);
        p->drawText(box, Qt::AlignCenter, label);
    }
}

} // namespace chainsight::views
