// Progress from a worker job to the UI thread, without the worker touching a QObject. The worker stores figures in a
// shared cell; a timer on the UI side reads the cell and reports changes. The pattern this replaces queued a call
// to the receiver from the worker, guarded by a QPointer checked there: the receiver could be deleted between that
// check and the post, and an event posted to a deleted object writes to freed memory.
#pragma once

#include <QObject>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

class QTimer;

namespace chainsight::views {

// What a worker writes; safe from any thread. A torn read of the pair only shows a figure a poll late.
struct ProgressCell
{
    std::atomic<int64_t> done{-1}, total{0};
    void set(int64_t d, int64_t t)
    {
        total.store(t, std::memory_order_relaxed);
        done.store(d, std::memory_order_release);
    }
};

class ProgressRelay
{
public:
    // onChange runs on the owner's thread with the latest figures, at most once per interval and only when they
    // changed. Make the relay a member of owner: its timer is owner's child, and the relay deletes it.
    ProgressRelay(QObject* owner, std::function<void(int64_t done, int64_t total)> onChange, int intervalMs = 100);
    ~ProgressRelay();
    ProgressRelay(const ProgressRelay&) = delete;
    ProgressRelay& operator=(const ProgressRelay&) = delete;

    // A fresh cell for a new job (the previous job's cell is no longer read); starts polling.
    std::shared_ptr<ProgressCell> start();
    // Stops polling; what the cell holds after this is not reported.
    void stop();
    // Reads the cell now (also done by the timer).
    void poll();

private:
    QTimer* m_timer = nullptr;
    std::function<void(int64_t, int64_t)> m_onChange;
    std::shared_ptr<ProgressCell> m_cell;
    int64_t m_lastDone = -1, m_lastTotal = -1;
};

} // namespace chainsight::views
