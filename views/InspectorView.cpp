// The inspector panel; see InspectorView.h.
#include "views/InspectorView.h"

#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/Theme.h"
#include "views/models/DetailModel.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace chainsight::views {

namespace {
// Indented JSON for reading (member order as collected).
void pretty(const json::Value& v, std::string& out, int depth)
{
    const std::string pad(static_cast<size_t>(depth) * 2, ' ');
    if (v.isObject()) {
        if (v.members().empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (size_t i = 0; i < v.members().size(); ++i) {
            out += pad + "  ";
            json::appendQuoted(out, v.members()[i].first);
            out += ": ";
            pretty(v.members()[i].second, out, depth + 1);
            out += i + 1 < v.members().size() ? ",\n" : "\n";
        }
        out += pad + "}";
    } else if (v.isArray()) {
        if (v.items().empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (size_t i = 0; i < v.items().size(); ++i) {
            out += pad + "  ";
            pretty(v.items()[i], out, depth + 1);
            out += i + 1 < v.items().size() ? ",\n" : "\n";
        }
        out += pad + "]";
    } else {
        v.dumpTo(out);
    }
}

bool looksLikeText(const std::string& s)
{
    const size_t n = std::min<size_t>(s.size(), 4096);
    for (size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x09 || (c > 0x0d && c < 0x20)) return false;
    }
    return true;
}
} // namespace

InspectorView::InspectorView(CaseContext* context, EventSelection* selection, QWidget* parent)
    : QWidget(parent), m_context(context), m_selection(selection)
{
    m_model = new DetailModel(this);
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setMargin(6);
    m_header->setText(tr("<i>Select an event in the table, the graph or the timeline.</i>"));
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("inspectorTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(DetailModel::Field, QHeaderView::Interactive);
    m_tree->header()->resizeSection(DetailModel::Field, 130);
    m_tree->setToolTip(tr("Double-click (or Enter on) an underlined row to go to that event"));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_raw = new QPlainTextEdit(this);
    m_raw->setReadOnly(true);
    m_raw->setFont(mono);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    auto* blobPage = new QWidget(this);
    auto* blobLay = new QVBoxLayout(blobPage);
    blobLay->setContentsMargins(0, 0, 0, 0);
    m_blobInfo = new QLabel(blobPage);
    m_blobInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_blobInfo->setWordWrap(true);
    m_blob = new QPlainTextEdit(blobPage);
    m_blob->setReadOnly(true);
    m_blob->setFont(mono);
    m_saveBlob = new QPushButton(tr("Save Blob…"), blobPage);
    blobLay->addWidget(m_blobInfo);
    blobLay->addWidget(m_blob);
    blobLay->addWidget(m_saveBlob, 0, Qt::AlignRight);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_tree, tr("Details"));
    m_tabs->addTab(m_raw, tr("Raw JSON"));
    m_tabs->addTab(blobPage, tr("Blob"));
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addWidget(m_header);
    lay->addWidget(m_tabs);

    connect(selection, &EventSelection::changed, this, [this](qint64 rowid) { show(rowid); });
    connect(context, &CaseContext::closed, this, [this] { show(0); });
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex& i) {
        const qint64 r = i.siblingAtColumn(0).data(DetailModel::RowidRole).toLongLong();
        if (r) m_selection->select(r, nullptr);
    });
    connect(m_saveBlob, &QPushButton::clicked, this, [this] {
        if (!m_detail || m_blobBytes.empty()) return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Blob"), fromStd(m_detail->blobSha256));
        if (path.isEmpty()) return;
        QSaveFile f(path);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(m_blobBytes.data(), static_cast<qint64>(m_blobBytes.size()));
            f.commit();
        }
    });
}

void InspectorView::goToParent()
{
    if (m_detail && !m_detail->parentChain.empty()) m_selection->select(m_detail->parentChain.front().rowid, nullptr);
}

void InspectorView::show(qint64 rowid)
{
    m_detail.reset();
    m_blobBytes.clear();
    if (rowid && m_context->queries()) {
        auto d = m_context->queries()->eventDetail(rowid);
        if (d && *d) m_detail = std::move(**d);
    }
    if (!m_detail) {
        m_model->setDetail(nullptr);
        m_header->setText(tr("<i>Select an event in the table, the graph or the timeline.</i>"));
        m_raw->clear();
        showBlob();
        return;
    }
    const Event& e = m_detail->event;
    QString verdict;
    for (const auto& di : m_detail->decisions)
        verdict += QStringLiteral(" <span style='color:%1; font-weight:bold'>%2</span>")
                       .arg(verdictColor(di.decision.verdict).name(), verdictText(di.decision.verdict));
    m_header->setText(QStringLiteral("<span style='color:%1; font-weight:bold'>%2</span>%3 &nbsp;<span style='color:palette(mid)'>%4 · %5</span><br>%6")
                          .arg(typeColor(e.type).name(), typeName(e.type), verdict, fromStd(e.agent), timeLong(e.tsNs),
                               fromStd(e.summary).toHtmlEscaped()));
    m_model->setDetail(&*m_detail);
    m_tree->expandToDepth(0);
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex sec = m_model->index(r, 0);
        for (int c = 0; c < m_model->rowCount(sec); ++c) m_tree->expand(m_model->index(c, 0, sec));
    }
    std::string raw;
    pretty(m_detail->fields, raw, 0);
    m_raw->setPlainText(fromStd(raw));
    if (!m_detail->blobSha256.empty() && m_detail->blobBytes >= 0) {
        auto b = m_context->queries()->blob(m_detail->blobSha256);
        if (b && *b) m_blobBytes = std::move(**b);
    }
    showBlob();
}

void InspectorView::showBlob()
{
    m_saveBlob->setEnabled(!m_blobBytes.empty());
    if (!m_detail || m_detail->blobSha256.empty()) {
        m_blobInfo->setText(tr("This event references no blob."));
        m_blob->clear();
        m_tabs->setTabText(2, tr("Blob"));
        return;
    }
    m_tabs->setTabText(2, tr("Blob ●"));
    if (m_detail->blobBytes < 0) {
        m_blobInfo->setText(tr("Blob %1 is referenced but not in the case.").arg(fromStd(m_detail->blobSha256)));
        m_blob->clear();
        return;
    }
    m_blobInfo->setText(tr("SHA-256 %1 · %2 bytes").arg(fromStd(m_detail->blobSha256)).arg(m_detail->blobBytes));
    const size_t shown = std::min<size_t>(m_blobBytes.size(), 256 * 1024);
    if (looksLikeText(m_blobBytes)) {
        m_blob->setPlainText(QString::fromUtf8(m_blobBytes.data(), static_cast<qsizetype>(shown)));
    } else {
        QString hex;
        for (size_t i = 0; i < std::min<size_t>(shown, 16 * 1024); i += 16) {
            hex += QStringLiteral("%1  ").arg(i, 8, 16, QLatin1Char('0'));
            for (size_t j = i; j < i + 16 && j < shown; ++j)
                hex += QStringLiteral("%1 ").arg(static_cast<unsigned char>(m_blobBytes[j]), 2, 16, QLatin1Char('0'));
            hex += QLatin1Char('\n');
        }
        m_blob->setPlainText(hex);
    }
}

} // namespace chainsight::views
