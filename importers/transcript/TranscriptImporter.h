// Agent transcripts: OpenAI-style message arrays (system / user / assistant with tool_calls / tool), alone
// or wrapped with metadata, as one JSON document or as JSON Lines of runs (the AgentDojo / Invariant
// export: a dataset header line, then one run per line, each run one session). One file, one transaction.
#pragma once

#include "importers/Importer.h"
#include "importers/logs/LogDecoder.h"

#include <memory>

namespace chainsight::importers {

class TranscriptImporter : public Importer
{
public:
    std::string name() const override { return "transcript"; }
    std::string description() const override
    {
        return "agent transcripts: OpenAI-style message arrays, JSON or JSON Lines of runs (AgentDojo/Invariant)";
    }
    int sniff(io::BundleSource& source) override;
    Result<ImportReport> import(store::CaseStore& store, io::BundleSource& source, const ImportOptions& options) override;
};

// The decoder the importer drives (a session per run, events named after stem), for drivers of their own (the fuzz target).
std::unique_ptr<LogDecoder> makeTranscriptDecoder(LogSink& sink, const std::string& stem);

} // namespace chainsight::importers
