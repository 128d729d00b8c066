// Writes .zip and .tar.gz archives in process (libarchive behind this wall): the evidence package export,
// and tests that need archives with hostile entries.
#pragma once

#include "core/Result.h"

#include <QString>

#include <string>
#include <vector>

namespace chainsight::io {

struct ArchiveItem
{
    enum class Type { File, Directory, Symlink, Hardlink };
    std::string path; // written as given (tests may pass hostile names on purpose)
    std::string data; // file contents
    Type type = Type::File;
    std::string linkTarget;
};

enum class ArchiveFormat { Zip, TarGz };

Status writeArchive(const QString& path, ArchiveFormat format, const std::vector<ArchiveItem>& items);

} // namespace chainsight::io
