// AWS CloudTrail log files ({"Records": [...]} as delivered to S3, gzip-compressed or not, one or more documents
// one after another): every record becomes an event on
// the identity that made it: AssumeRole and the token exchanges an identity_change, sign-ins and refused calls
// auth events, every other API call an auth-plane resource event naming the API, its resources and request.
// Records are correlated with agent actions (importers/logs/Correlator.h) by identity and time, so a tool call
// and the cloud API call it caused sit side by side; AssumeRole chains carry an agent's session to the roles
// it took on.
#pragma once

#include "importers/logs/Correlator.h"
#include "importers/logs/LogDecoder.h"

#include <memory>

namespace chainsight::importers {

class CloudTrailDecoder : public LogDecoder
{
public:
    // correlator: agent actions to link to (may be empty, never null). bundleId: the bundle the records are
    // imported into, so a match inside the same bundle also becomes the event's causal parent.
    CloudTrailDecoder(LogSink& sink, Correlator& correlator, std::string bundleId, std::string stem);
    ~CloudTrailDecoder() override;
    Status beginPass(int pass) override;
    Status feed(std::string_view chunk) override;
    Status endPass() override;
    int64_t events() const override;
    json::Value summary() const override;

    static int sniff(std::string_view head);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::importers
