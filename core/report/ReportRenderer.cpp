// Template filling, the self-contained HTML and the PDF (see ReportRenderer.h).
#include "core/report/ReportRenderer.h"
#include "core/analysis/Atlas.h"
#include "core/report/Charts.h"
#include "core/report/Redaction.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

namespace chainsight::report {

namespace {
const QStringList kVariables = {
    QStringLiteral("title"),        QStringLiteral("copy_kind"),    QStringLiteral("marking"),
    QStringLiteral("generated_at"), QStringLiteral("generated_by"), QStringLiteral("case_file"),
    QStringLiteral("tool"),         QStringLiteral("banner"),       QStringLiteral("atlas_attribution")};
}

Result<RenderedReport> renderReport(const ReportData& data, const RenderOptions& options)
{
    RenderedReport out;
    out.legalCopy = options.redactor != nullptr;
    out.title = fromStd(data.title);
    const QString tmpl =
        QString::fromUtf8(options.templateHtml.isEmpty() ? defaultTemplateHtml() : options.templateHtml);
    const QString tmplName = options.templateFile.isEmpty() ? QStringLiteral("template.html") : options.templateFile;

    // Check every placeholder before drawing anything: a typo in an organisation's template names its line.
    static const QRegularExpression token(QStringLiteral("\\{\\{\\s*([^{}]*?)\\s*\\}\\}"));
    std::vector<std::string> wanted;
    for (auto it = token.globalMatch(tmpl); it.hasNext();) {
        const auto m = it.next();
        const QString name = m.captured(1);
        const qint64 line = QStringView(tmpl).left(m.capturedStart()).count(QLatin1Char('\n')) + 1;
        if (name.startsWith(QLatin1String("section:"))) {
            const std::string sec = name.mid(8).trimmed().toStdString();
            if (std::find(sectionNames().begin(), sectionNames().end(), sec) == sectionNames().end())
                return makeError(ErrorCode::Format, QStringLiteral("unknown section \"%1\"").arg(name.mid(8).trimmed()),
                                 tmplName, line);
            wanted.push_back(sec);
        } else if (!kVariables.contains(name)) {
            return makeError(ErrorCode::Format, QStringLiteral("unknown placeholder \"{{%1}}\"").arg(name), tmplName,
                             line);
        }
    }
    // A stray "{{" that opens no placeholder is a typo too.
    if (const qsizetype stray = QString(tmpl).remove(token).indexOf(QStringLiteral("{{")); stray >= 0)
        return makeError(ErrorCode::Format, QStringLiteral("\"{{\" opens no placeholder"), tmplName);

    if (options.images && std::find(wanted.begin(), wanted.end(), "charts") != wanted.end()) {
        out.images[QStringLiteral("timeline")] = timelineChart(data);
        out.images[QStringLiteral("graph")] = executionGraphImage(data);
    }
    std::map<std::string, QString> sections;
    for (const auto& s : wanted)
        if (!sections.count(s)) sections[s] = renderSection(s, data, options.redactor, out.images);
    if (options.redactor) {
        out.redactions = options.redactor->total();
        out.redactionsByRule = options.redactor->counts();
    }

    std::map<QString, QString> vars;
    vars[QStringLiteral("title")] = out.title.toHtmlEscaped();
    vars[QStringLiteral("copy_kind")] =
        out.legalCopy ? QStringLiteral("Legal review copy") : QStringLiteral("Incident report");
    vars[QStringLiteral("marking")] = options.marking.toHtmlEscaped();
    vars[QStringLiteral("generated_at")] = fromStd(data.generatedAt).toHtmlEscaped();
    vars[QStringLiteral("generated_by")] = fromStd(data.generatedBy).toHtmlEscaped();
    vars[QStringLiteral("case_file")] = QFileInfo(fromStd(data.caseFile)).fileName().toHtmlEscaped();
    vars[QStringLiteral("tool")] = QStringLiteral("Chainsight %1")
                                       .arg(fromStd(data.tool.empty() ? std::string("") : data.tool))
                                       .trimmed()
                                       .toHtmlEscaped();
    vars[QStringLiteral("atlas_attribution")] = fromStd(analysis::atlasAttribution()).toHtmlEscaped();
    if (out.legalCopy) {
        QStringList by;
        for (const auto& [rule, n] : out.redactionsByRule)
            by << QStringLiteral("%1 %2").arg(n).arg(rule.toHtmlEscaped());
        vars[QStringLiteral("banner")] =
            QStringLiteral("<p class=\"banner\">LEGAL REVIEW COPY. Secrets and personal data are masked (%1 "
                           "item(s)%2). Exhibits are numbered; "
                           "every original is named by its SHA-256 so this copy can be tied back to the evidence.</p>")
                .arg(out.redactions)
                .arg(by.isEmpty() ? QString() : QStringLiteral(": ") + by.join(QStringLiteral(", ")));
    } else {
        vars[QStringLiteral("banner")] = QString();
    }

    QString html;
    qsizetype last = 0;
    for (auto it = token.globalMatch(tmpl); it.hasNext();) {
        const auto m = it.next();
        html += QStringView(tmpl).mid(last, m.capturedStart() - last);
        const QString name = m.captured(1);
        html += name.startsWith(QLatin1String("section:")) ? sections[name.mid(8).trimmed().toStdString()] : vars[name];
        last = m.capturedEnd();
    }
    html += QStringView(tmpl).mid(last);
    out.html = std::move(html);
    return out;
}

QByteArray standaloneHtml(const RenderedReport& report)
{
    QString html = report.html;
    for (const auto& [name, img] : report.images) {
        QByteArray png;
        QBuffer buf(&png);
        buf.open(QIODevice::WriteOnly);
        img.save(&buf, "PNG");
        html.replace(QStringLiteral("cs-image:") + name,
                     QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64()));
    }
    return html.toUtf8();
}

Result<QByteArray> renderPdf(const RenderedReport& report)
{
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buf);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(14, 12, 14, 14), QPageLayout::Millimeter);
        writer.setResolution(96);
        writer.setTitle(report.title + (report.legalCopy ? QStringLiteral(" (legal review copy)") : QString()));
        writer.setCreator(QStringLiteral("Chainsight"));

        QTextDocument doc;
        doc.documentLayout()->setPaintDevice(&writer);
        for (const auto& [name, img] : report.images)
            doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("cs-image:") + name), QVariant(img));
        doc.setHtml(report.html);
        const double footer = 22;
        const QSizeF page(writer.width(), writer.height() - footer);
        doc.setPageSize(page);
        const int pages = doc.pageCount();
        QPainter p;
        if (!p.begin(&writer)) return makeError(ErrorCode::Io, QStringLiteral("cannot start the PDF writer"));
        QFont small(QStringLiteral("DejaVu Sans"));
        small.setPointSizeF(7);
        for (int i = 0; i < pages; ++i) {
            if (i) writer.newPage();
            p.save();
            p.translate(0, -i * page.height());
            doc.drawContents(&p, QRectF(0, i * page.height(), page.width(), page.height()));
            p.restore();
            p.setFont(small);
            p.setPen(QColor(0x62, 0x7d, 0x98));
            const QRectF foot(0, writer.height() - footer + 6, writer.width(), footer - 6);
            p.drawText(foot, Qt::AlignLeft | Qt::AlignVCenter,
                       (report.legalCopy ? QStringLiteral("Legal review copy · ") : QString()) + report.title);
            p.drawText(foot, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("Page %1 of %2").arg(i + 1).arg(pages));
        }
        p.end();
    }
    return bytes;
}

Status writeReport(const RenderedReport& report, const QString& path)
{
    QByteArray bytes;
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        auto pdf = renderPdf(report);
        if (!pdf) return pdf.error();
        bytes = std::move(*pdf);
    } else if (path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive) ||
               path.endsWith(QLatin1String(".htm"), Qt::CaseInsensitive)) {
        bytes = standaloneHtml(report);
    } else {
        return makeError(ErrorCode::Usage, QStringLiteral("the report is written as .pdf or .html"), path);
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return makeError(ErrorCode::Io, f.errorString(), path);
    return {};
}

} // namespace chainsight::report
