// The colour of each event type, one palette for the workbench (views/Theme) and the report's charts, so an
// analyst reading the report sees the colours of the window. Light and dark variants, as "#rrggbb".
#pragma once

#include "core/model/Event.h"

#include <string_view>

namespace chainsight {

constexpr std::string_view eventTypeColor(EventType t, bool dark = false)
{
    switch (t) {
    case EventType::Prompt:
        return dark ? "#5aa9e6" : "#1f77b4";
    case EventType::Retrieval:
        return dark ? "#d49a7f" : "#8c564b";
    case EventType::ToolCall:
        return dark ? "#ff6b6b" : "#d62728";
    case EventType::ToolResult:
        return dark ? "#ffa94d" : "#ff7f0e";
    case EventType::IdentityChange:
        return dark ? "#c39bff" : "#9467bd";
    case EventType::Delegation:
        return dark ? "#4dd8e6" : "#17becf";
    case EventType::LlmOutput:
        return dark ? "#69db7c" : "#2ca02c";
    case EventType::MemoryWrite:
        return dark ? "#e0e05a" : "#bcbd22";
    case EventType::MemorySnapshot:
        return dark ? "#b0b0b0" : "#7f7f7f";
    case EventType::Egress:
        return dark ? "#f7a1dc" : "#e377c2";
    case EventType::Auth:
        return dark ? "#8c8fe0" : "#393b79";
    case EventType::Kernel:
        return dark ? "#cccccc" : "#555555";
    }
    return "#808080";
}

} // namespace chainsight
