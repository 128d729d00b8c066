// Search field, facet drop-downs and chips; see FilterBar.h.
#include "views/FilterBar.h"

#include "views/CaseContext.h"
#include "views/Theme.h"
#include "views/models/FacetModel.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace chainsight::views {

namespace {
QString facetTitle(store::Facet f)
{
    switch (f) {
    case store::Facet::Type:
        return FilterBar::tr("Type");
    case store::Facet::Agent:
        return FilterBar::tr("Agent");
    case store::Facet::Session:
        return FilterBar::tr("Session");
    case store::Facet::Identity:
        return FilterBar::tr("Identity");
    }
    return {};
}

// A pop-up list of checkable values with a filter field; Esc or a click outside closes it.
class FacetPopup : public QFrame
{
public:
    FacetPopup(const std::vector<store::FacetValue>& values, const QStringList& checked, QWidget* parent)
        : QFrame(parent, Qt::Popup)
    {
        setFrameShape(QFrame::StyledPanel);
        setAttribute(Qt::WA_DeleteOnClose);
        auto* lay = new QVBoxLayout(this);
        lay->setContentsMargins(4, 4, 4, 4);
        m_filter = new QLineEdit(this);
        m_filter->setPlaceholderText(FilterBar::tr("Filter values…"));
        m_filter->setClearButtonEnabled(true);
        m_model = new FacetModel(this);
        m_model->setValues(values);
        m_model->setChecked(checked);
        auto* proxy = new QSortFilterProxyModel(this);
        proxy->setSourceModel(m_model);
        proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
        m_list = new QListView(this);
        m_list->setModel(proxy);
        m_list->setUniformItemSizes(true);
        lay->addWidget(m_filter);
        lay->addWidget(m_list);
        resize(320, std::min(420, 60 + static_cast<int>(values.size()) * 22));
        connect(m_filter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
        connect(m_list, &QListView::activated, this, [this](const QModelIndex& i) { toggle(i); });
        m_filter->installEventFilter(this);
        m_filter->setFocus();
    }
    FacetModel* model() const { return m_model; }

protected:
    bool eventFilter(QObject* o, QEvent* e) override
    {
        if (o == m_filter && e->type() == QEvent::KeyPress) {
            auto* k = static_cast<QKeyEvent*>(e);
            if (k->key() == Qt::Key_Down) {
                m_list->setFocus();
                if (!m_list->currentIndex().isValid()) m_list->setCurrentIndex(m_list->model()->index(0, 0));
                return true;
            }
            if (k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter) {
                if (m_list->model()->rowCount() > 0) toggle(m_list->model()->index(0, 0));
                return true;
            }
        }
        return QFrame::eventFilter(o, e);
    }

private:
    void toggle(const QModelIndex& i)
    {
        const bool on = i.data(Qt::CheckStateRole).toInt() == Qt::Checked;
        m_list->model()->setData(i, on ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
    }
    QLineEdit* m_filter;
    QListView* m_list;
    FacetModel* m_model;
};
} // namespace

FilterBar::FilterBar(CaseContext* context, QWidget* parent) : QWidget(parent), m_context(context)
{
    auto* lay = new QHBoxLayout(this);
    lay->setContentsMargins(4, 2, 4, 2);
    lay->setSpacing(4);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search all evidence (Ctrl+F) — words are ANDed, end a word with * for a prefix"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::LeadingPosition);
    m_search->setMinimumWidth(260);
    lay->addWidget(m_search, 3);
    for (store::Facet f : {store::Facet::Type, store::Facet::Agent, store::Facet::Session, store::Facet::Identity}) {
        auto* b = new QToolButton(this);
        b->setText(facetTitle(f) + QStringLiteral(" ▾"));
        b->setToolTip(tr("Show only some %1 values").arg(facetTitle(f).toLower()));
        b->setAutoRaise(true);
        connect(b, &QToolButton::clicked, this, [this, f, b] { openFacet(f, b); });
        lay->addWidget(b);
    }
    m_chips = new QHBoxLayout;
    m_chips->setSpacing(4);
    lay->addLayout(m_chips, 2);
    lay->addStretch(0);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("resultCount"));
    lay->addWidget(m_count);

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(180);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, [this] {
        if (m_filter.search == m_search->text()) return;
        m_filter.search = m_search->text();
        emitChanged();
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_typing->stop();
        if (m_filter.search == m_search->text()) return;
        m_filter.search = m_search->text();
        emitChanged();
    });
}

std::vector<std::string>* FilterBar::listFor(store::Facet facet)
{
    switch (facet) {
    case store::Facet::Agent:
        return &m_filter.agents;
    case store::Facet::Session:
        return &m_filter.sessions;
    case store::Facet::Identity:
        return &m_filter.identities;
    default:
        return nullptr;
    }
}

void FilterBar::openFacet(store::Facet facet, QToolButton* anchor)
{
    if (!m_context->queries()) return;
    // From the case's in-memory index once it is loaded (a GROUP BY over a large case would stall the window).
    const auto index = m_context->index();
    auto values = m_context->queries()->facet(facet, index.get());
    if (!values) return;
    QStringList checked;
    if (facet == store::Facet::Type) {
        for (EventType t : m_filter.types) checked << typeName(t);
    } else {
        for (const auto& v : *listFor(facet)) checked << fromStd(v);
    }
    auto* popup = new FacetPopup(*values, checked, this);
    connect(popup->model(), &FacetModel::checkedChanged, this, [this, facet, popup] {
        const QStringList now = popup->model()->checkedValues();
        if (facet == store::Facet::Type) {
            m_filter.types.clear();
            for (const QString& s : now)
                if (auto t = eventTypeFromName(s.toStdString())) m_filter.types.push_back(*t);
        } else {
            auto* list = listFor(facet);
            list->clear();
            for (const QString& s : now) list->push_back(s.toStdString());
        }
        emitChanged();
    });
    popup->move(anchor->mapToGlobal(QPoint(0, anchor->height())));
    popup->show();
}

void FilterBar::setFilter(const store::EventFilter& filter)
{
    m_filter = filter;
    QSignalBlocker block(m_search);
    m_search->setText(filter.search);
    emitChanged();
}

void FilterBar::setTimeRange(std::optional<int64_t> fromNs, std::optional<int64_t> toNs)
{
    m_filter.fromNs = fromNs;
    m_filter.toNs = toNs;
    emitChanged();
}

void FilterBar::addFacetValue(store::Facet facet, const QString& value)
{
    if (facet == store::Facet::Type) {
        auto t = eventTypeFromName(value.toStdString());
        if (t && std::find(m_filter.types.begin(), m_filter.types.end(), *t) == m_filter.types.end()) m_filter.types.push_back(*t);
    } else {
        auto* list = listFor(facet);
        const std::string v = value.toStdString();
        if (std::find(list->begin(), list->end(), v) == list->end()) list->push_back(v);
    }
    emitChanged();
}

void FilterBar::setSearchText(const QString& text)
{
    QSignalBlocker block(m_search);
    m_search->setText(text);
    m_typing->stop();
    m_filter.search = text;
    emitChanged();
}

void FilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void FilterBar::clearAll() { setFilter({}); }

void FilterBar::setResultCount(qint64 shown, qint64 total, bool busy, qint64 ms)
{
    if (busy) {
        m_count->setText(tr("searching…"));
        return;
    }
    const QLocale loc;
    m_count->setText(shown == total ? tr("%1 events").arg(loc.toString(shown))
                                    : tr("%1 of %2 events").arg(loc.toString(shown), loc.toString(total)));
    m_count->setToolTip(tr("query took %1 ms").arg(ms));
}

void FilterBar::rebuildChips()
{
    while (QLayoutItem* item = m_chips->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto chip = [this](const QString& text, std::function<void()> remove) {
        auto* b = new QToolButton(this);
        b->setText(text + QStringLiteral("  ✕"));
        b->setToolTip(tr("Remove this filter"));
        b->setStyleSheet(QStringLiteral("QToolButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; "
                                        "background: palette(alternate-base); }"));
        connect(b, &QToolButton::clicked, this, [this, remove] {
            remove();
            emitChanged();
        });
        m_chips->addWidget(b);
    };
    for (EventType t : m_filter.types)
        chip(tr("type: %1").arg(typeName(t)), [this, t] { std::erase(m_filter.types, t); });
    for (store::Facet f : {store::Facet::Agent, store::Facet::Session, store::Facet::Identity})
        for (const std::string& v : *listFor(f))
            chip(QStringLiteral("%1: %2").arg(facetTitle(f).toLower(), fromStd(v)), [this, f, v] { std::erase(*listFor(f), v); });
    if (m_filter.fromNs || m_filter.toNs)
        chip(tr("time: %1 – %2").arg(m_filter.fromNs ? timeShort(*m_filter.fromNs) : QStringLiteral("…"),
                                     m_filter.toNs ? timeShort(*m_filter.toNs) : QStringLiteral("…")),
             [this] {
                 m_filter.fromNs.reset();
                 m_filter.toNs.reset();
             });
}

void FilterBar::emitChanged()
{
    rebuildChips();
    emit filterChanged(m_filter);
}

} // namespace chainsight::views
