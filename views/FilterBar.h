// The filter bar over the evidence table: a full-text search field (Ctrl+F), one drop-down per facet (type,
// agent, session, identity) and removable chips for what is applied, including a time range from the timeline.
#pragma once

#include "core/store/CaseQueries.h"

#include <QWidget>

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace chainsight::views {

class CaseContext;

class FilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBar(CaseContext* context, QWidget* parent = nullptr);

    const store::EventFilter& filter() const { return m_filter; }
    void setFilter(const store::EventFilter& filter);
    void setTimeRange(std::optional<int64_t> fromNs, std::optional<int64_t> toNs);
    void addFacetValue(store::Facet facet, const QString& value);
    void setSearchText(const QString& text); // applies at once (no typing delay)
    void focusSearch();
    void clearAll();
    void setResultCount(qint64 shown, qint64 total, bool busy, qint64 ms);
    QLineEdit* searchField() const { return m_search; }

signals:
    void filterChanged(const store::EventFilter& filter);

private:
    void openFacet(store::Facet facet, QToolButton* anchor);
    void rebuildChips();
    void emitChanged();
    std::vector<std::string>* listFor(store::Facet facet);

    CaseContext* m_context;
    store::EventFilter m_filter;
    QLineEdit* m_search;
    QTimer* m_typing;
    QHBoxLayout* m_chips;
    QLabel* m_count;
};

} // namespace chainsight::views
