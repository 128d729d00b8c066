#include "importers/cloudtrail/CloudTrailImporter.h"

#include "importers/cloudtrail/CloudTrailDecoder.h"
#include "importers/logs/ForeignImport.h"

namespace chainsight::importers {

int CloudTrailImporter::sniff(io::BundleSource& source)
{
    if (source.kind() != io::BundleSource::Kind::File) return 0;
    return CloudTrailDecoder::sniff(sourceHead(source));
}

Result<ImportReport> CloudTrailImporter::import(store::CaseStore& store, io::BundleSource& source,
                                                const ImportOptions& options)
{
    auto correlator = std::make_shared<Correlator>();
    ForeignImportSpec spec;
    spec.format = name();
    spec.title = "AWS CloudTrail log";
    spec.prepare = [correlator](store::CaseStore& s) { return correlator->loadCase(s); };
    spec.make = [correlator](LogSink& sink, const std::string& bundleId, const std::string& stem) {
        return std::make_unique<CloudTrailDecoder>(sink, *correlator, bundleId, stem);
    };
    return importForeignFile(store, source, options, spec);
}

} // namespace chainsight::importers
