// AWS CloudTrail log files as a case import: see CloudTrailDecoder.h for the mapping and the correlation with
// agent actions already in the case, ForeignImport.h for the guarantees.
#pragma once

#include "importers/Importer.h"

namespace chainsight::importers {

class CloudTrailImporter : public Importer
{
public:
    std::string name() const override { return "cloudtrail"; }
    std::string description() const override
    {
        return "AWS CloudTrail log files, {\"Records\": [...]}, .json or .json.gz";
    }
    int sniff(io::BundleSource& source) override;
    Result<ImportReport> import(store::CaseStore& store, io::BundleSource& source,
                                const ImportOptions& options) override;
};

} // namespace chainsight::importers
