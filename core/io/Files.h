// Small whole-file reads with a size cap, for the analyst's own files (scenarios, policies, team scripts,
// playbooks): the cap holds even when the file grows while it is read or reports no size (a pipe).
#pragma once

#include "core/Result.h"

#include <QString>

#include <cstdint>
#include <string>

namespace chainsight::io {

// The whole file, or an Io error ("cannot read: …") or a Limit error ("larger than N MiB") naming the path.
Result<std::string> readFileBounded(const QString& path, int64_t maxBytes);

} // namespace chainsight::io
