// The inspector: the selected event whole — typed fields, content as a tree, runtime decisions, provenance
// (retrieval source, parent chain, what it led to), the raw JSON as collected, the blob it references and hashes.
// Activating a row that names another event selects that event everywhere.
#pragma once

#include "core/store/CaseQueries.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;
class QPushButton;

namespace chainsight::views {

class CaseContext;
class DetailModel;
class EventSelection;

class InspectorView : public QWidget
{
    Q_OBJECT
public:
    InspectorView(CaseContext* context, EventSelection* selection, QWidget* parent = nullptr);

    DetailModel* model() const { return m_model; }
    int64_t shownRowid() const { return m_detail ? m_detail->event.rowid : 0; }
    QTreeView* tree() const { return m_tree; }
    // Selects the parent of the shown event (Alt+Up).
    void goToParent();

private:
    void show(qint64 rowid);
    void showBlob();

    CaseContext* m_context;
    EventSelection* m_selection;
    DetailModel* m_model;
    QLabel* m_header;
    QTabWidget* m_tabs;
    QTreeView* m_tree;
    QPlainTextEdit* m_raw;
    QPlainTextEdit* m_blob;
    QLabel* m_blobInfo;
    QPushButton* m_saveBlob;
    std::optional<store::EventDetail> m_detail;
    std::string m_blobBytes;
};

} // namespace chainsight::views
