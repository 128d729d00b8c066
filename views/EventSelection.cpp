// The shared event selection and its history.
#include "views/EventSelection.h"

namespace chainsight::views {

void EventSelection::select(int64_t rowid, QObject* source)
{
    if (rowid == m_current) return;
    m_current = rowid;
    if (rowid) {
        m_history.resize(static_cast<size_t>(m_pos + 1));
        m_history.push_back(rowid);
        if (m_history.size() > 200) m_history.erase(m_history.begin());
        m_pos = static_cast<int>(m_history.size()) - 1;
    }
    emit changed(rowid, source);
}

void EventSelection::back()
{
    if (!canGoBack()) return;
    m_current = m_history[static_cast<size_t>(--m_pos)];
    emit changed(m_current, nullptr);
}

void EventSelection::forward()
{
    if (!canGoForward()) return;
    m_current = m_history[static_cast<size_t>(++m_pos)];
    emit changed(m_current, nullptr);
}

} // namespace chainsight::views
