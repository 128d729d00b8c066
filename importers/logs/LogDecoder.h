// The part of a foreign-log importer that turns bytes into the core event model, whoever drives it: a file
// imported on its own (ForeignImport, its own bundle row and transaction) or a native bundle's logs/ folder
// (the bundle's own import, same transaction). A decoder is fed the file's (inflated) bytes once per pass and
// hands events, decisions and agent registry entries to a sink; it never touches the case itself.
#pragma once

#include "core/Result.h"
#include "core/model/Event.h"

#include <string>
#include <string_view>

namespace chainsight::importers {

class LogSink
{
public:
    virtual ~LogSink() = default;
    virtual void event(Event&& e) = 0;
    virtual void decision(Decision&& d) = 0;
    virtual void baseline(AgentBaseline&& b) = 0;
    virtual void warning(std::string w) = 0;
};

class LogDecoder
{
public:
    virtual ~LogDecoder() = default;
    // Decoders that need the whole file to resolve references (OTLP: a span's parents may follow it) read it twice.
    virtual int passes() const { return 1; }
    virtual Status beginPass(int pass) = 0;
    // Errors name the line and field; the driver adds the file.
    virtual Status feed(std::string_view chunk) = 0;
    virtual Status endPass() = 0;
    virtual int64_t events() const = 0;
    virtual int64_t decisions() const { return 0; }
    // Figures for the custody entry ("spans", "records", ...).
    virtual json::Value summary() const = 0;
};

} // namespace chainsight::importers
