// The one selection of a case: the event the analyst is looking at. Every panel sets it and follows it, so
// selecting an event anywhere selects it everywhere. Also keeps a short history for Back/Forward.
#pragma once

#include <QObject>

#include <cstdint>
#include <vector>

namespace chainsight::views {

class EventSelection : public QObject
{
    Q_OBJECT
public:
    explicit EventSelection(QObject* parent = nullptr) : QObject(parent) {}

    int64_t current() const { return m_current; }
    // source: the object that made the change (panels ignore their own echoes).
    void select(int64_t rowid, QObject* source = nullptr);
    void clear() { select(0, nullptr); }
    bool canGoBack() const { return m_pos > 0; }
    bool canGoForward() const { return m_pos + 1 < static_cast<int>(m_history.size()); }
    void back();
    void forward();

signals:
    void changed(qint64 rowid, QObject* source);

private:
    int64_t m_current = 0;
    std::vector<int64_t> m_history;
    int m_pos = -1;
};

} // namespace chainsight::views
