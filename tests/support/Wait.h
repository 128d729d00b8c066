// Runs the Qt event loop until a condition holds: for tests whose work finishes on the event loop (network
// replies, background jobs reporting back, replay timers).
#pragma once

#include <functional>

namespace chainsight::testing {

// Processes events until pred() or timeoutMs has passed; false on timeout.
bool waitUntil(const std::function<bool()>& pred, int timeoutMs = 10000);

} // namespace chainsight::testing
