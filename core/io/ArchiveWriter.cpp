#include "core/io/ArchiveWriter.h"

#include <archive.h>
#include <archive_entry.h>

namespace chainsight::io {

Status writeArchive(const QString& path, ArchiveFormat format, const std::vector<ArchiveItem>& items)
{
    archive* a = archive_write_new();
    if (format == ArchiveFormat::Zip) {
        archive_write_set_format_zip(a);
    } else {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
    }
    if (archive_write_open_filename(a, path.toLocal8Bit().constData()) != ARCHIVE_OK) {
        Error e = makeError(ErrorCode::Io, QStringLiteral("cannot write archive: %1").arg(QString::fromUtf8(archive_error_string(a))), path);
        archive_write_free(a);
        return e;
    }
    Status result;
    for (const auto& item : items) {
        archive_entry* ent = archive_entry_new();
        archive_entry_set_pathname(ent, item.path.c_str());
        archive_entry_set_mtime(ent, 1778030049, 0); // fixed: archives are reproducible
        switch (item.type) {
        case ArchiveItem::Type::File:
            archive_entry_set_filetype(ent, AE_IFREG);
            archive_entry_set_perm(ent, 0644);
            archive_entry_set_size(ent, static_cast<la_int64_t>(item.data.size()));
            break;
        case ArchiveItem::Type::Directory:
            archive_entry_set_filetype(ent, AE_IFDIR);
            archive_entry_set_perm(ent, 0755);
            break;
        case ArchiveItem::Type::Symlink:
            archive_entry_set_filetype(ent, AE_IFLNK);
            archive_entry_set_perm(ent, 0777);
            archive_entry_set_symlink(ent, item.linkTarget.c_str());
            break;
        case ArchiveItem::Type::Hardlink:
            archive_entry_set_filetype(ent, AE_IFREG);
            archive_entry_set_hardlink(ent, item.linkTarget.c_str());
            break;
        }
        if (archive_write_header(a, ent) != ARCHIVE_OK) {
            result = makeError(ErrorCode::Io, QStringLiteral("cannot write entry %1: %2").arg(QString::fromStdString(item.path), QString::fromUtf8(archive_error_string(a))), path);
            archive_entry_free(ent);
            break;
        }
        if (item.type == ArchiveItem::Type::File && !item.data.empty()) {
            if (archive_write_data(a, item.data.data(), item.data.size()) < 0) {
                result = makeError(ErrorCode::Io, QString::fromUtf8(archive_error_string(a)), path);
                archive_entry_free(ent);
                break;
            }
        }
        archive_entry_free(ent);
    }
    if (archive_write_close(a) != ARCHIVE_OK && result.ok())
        result = makeError(ErrorCode::Io, QString::fromUtf8(archive_error_string(a)), path);
    archive_write_free(a);
    return result;
}

} // namespace chainsight::io
