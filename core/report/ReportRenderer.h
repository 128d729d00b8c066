// Renders the incident report from a template (resources/report/template.html or an organisation's own) to
// HTML and to PDF through Qt's own rich-text layout and PDF writer. The legal review copy is the same report
// with free text masked (Redactor), evidence numbered as exhibits and every original named by its SHA-256.
#pragma once

#include "core/Result.h"
#include "core/report/ReportData.h"

#include <QByteArray>
#include <QImage>
#include <QString>

#include <map>
#include <optional>

namespace chainsight::report {

class Redactor;

struct RenderOptions
{
    Redactor* redactor = nullptr; // set: the legal review copy
    QByteArray templateHtml;      // empty: the shipped template
    QString templateFile;         // for error messages
    QString marking = QStringLiteral("TLP:AMBER+STRICT · CONFIDENTIAL");
    bool images = true;
};

struct RenderedReport
{
    QString html;                     // images referenced as cs-image:NAME
    std::map<QString, QImage> images; // NAME -> picture
    bool legalCopy = false;
    int redactions = 0;
    std::map<QString, int> redactionsByRule;
    QString title;
};

// Checks the template (placeholders known, balanced) and fills it. Errors name the template file and line.
Result<RenderedReport> renderReport(const ReportData& data, const RenderOptions& options);

// The HTML as one self-contained file (images as data: URIs).
QByteArray standaloneHtml(const RenderedReport& report);
// The PDF (A4, numbered pages).
Result<QByteArray> renderPdf(const RenderedReport& report);
// Writes .html or .pdf by the file's suffix.
Status writeReport(const RenderedReport& report, const QString& path);

// The sections the template may name, in the shipped order.
const std::vector<std::string>& sectionNames();
// One section's HTML (escape: through the redactor when set). Defined in ReportSections.cpp.
QString renderSection(const std::string& name, const ReportData& data, Redactor* redactor,
                      const std::map<QString, QImage>& images);

} // namespace chainsight::report
