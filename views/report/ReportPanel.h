// The report preview: the incident report of the open case as it will print, built off the UI thread, with
// export to HTML and PDF, the legal review copy (masked, opened read-only) and the signed evidence package.
// The export actions are also put in the main window's File menu.
#pragma once

#include "core/report/ReportData.h"
#include "core/report/ReportRenderer.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTextBrowser;
class QToolButton;

namespace chainsight::views {

struct Workbench;
class AnalysisService;
class CaseContext;

class ReportPanel : public QWidget
{
    Q_OBJECT
public:
    ReportPanel(const Workbench& wb, QWidget* parent = nullptr);
    ~ReportPanel() override;

    // The preview's HTML (for tests); empty until built.
    QString previewHtml() const;
    // What the preview was built from (for tests); null until built.
    std::shared_ptr<const report::ReportData> data() const { return m_data; }

public slots:
    void refresh(); // rebuilds the preview from the analysis and index the window holds (when both are ready)
    void cancelBuild(); // stops the build in flight (its result is dropped)
    void rebuild(); // the Refresh button: runs the analysis again, then rebuilds
    void exportReport();    // HTML or PDF, by the chosen name
    void exportLegalCopy(); // masked; opened read-only afterwards
    void exportPackage();   // asks for the signing key

signals:
    void previewReady();

private:
    void showPreview(const report::RenderedReport& r);
    void setBusy(const QString& message);
    void enableActions(bool exports, bool refresh); // the export actions; the Refresh action
    void record(const std::string& kind, const QString& file);
    void openReadOnly(const report::RenderedReport& r, const QString& file);
    void installMenuActions();

    CaseContext* m_context;
    AnalysisService* m_analysis; // the window's shared analysis; null: collectReport runs its own
    QWidget* m_window;
    QTextBrowser* m_browser;
    QLabel* m_status;
    std::shared_ptr<report::ReportData> m_data;
    std::shared_ptr<report::RenderedReport> m_rendered;
    int m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel; // the build in flight's
    QList<QAction*> m_actions;
};

} // namespace chainsight::views
