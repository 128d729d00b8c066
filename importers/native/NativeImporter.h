// The native evidence bundle importer (directory, .zip, .tar.gz): one bundle, one transaction.
#pragma once

#include "importers/Importer.h"

namespace chainsight::importers {

class NativeImporter : public Importer
{
public:
    std::string name() const override { return "native"; }
    std::string description() const override { return "agent evidence bundle v1: directory, .zip or .tar.gz"; }
    int sniff(io::BundleSource& source) override;
    Result<ImportReport> import(store::CaseStore& store, io::BundleSource& source, const ImportOptions& options) override;
};

} // namespace chainsight::importers
