// See ProgressRelay.h.
#include "views/ProgressRelay.h"

#include <QTimer>

namespace chainsight::views {

ProgressRelay::ProgressRelay(QObject* owner, std::function<void(int64_t, int64_t)> onChange, int intervalMs)
    : m_timer(new QTimer(owner)), m_onChange(std::move(onChange))
{
    m_timer->setInterval(intervalMs);
    QObject::connect(m_timer, &QTimer::timeout, m_timer, [this] { poll(); });
}

ProgressRelay::~ProgressRelay()
{
    delete m_timer;
}

std::shared_ptr<ProgressCell> ProgressRelay::start()
{
    m_cell = std::make_shared<ProgressCell>();
    m_lastDone = m_lastTotal = -1;
    m_timer->start();
    return m_cell;
}

void ProgressRelay::stop()
{
    m_timer->stop();
    m_cell.reset();
}

void ProgressRelay::poll()
{
    if (!m_cell) return;
    const int64_t done = m_cell->done.load(std::memory_order_acquire);
    const int64_t total = m_cell->total.load(std::memory_order_relaxed);
    if (done < 0 || (done == m_lastDone && total == m_lastTotal)) return;
    m_lastDone = done;
    m_lastTotal = total;
    m_onChange(done, total);
}

} // namespace chainsight::views
