#include "core/io/Files.h"

#include <QFile>

namespace chainsight::io {

Result<std::string> readFileBounded(const QString& path, int64_t maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(f.errorString()), path);
    const auto tooLarge = [&] {
        const QString size = maxBytes % (1 << 20) == 0 ? QStringLiteral("%1 MiB").arg(maxBytes >> 20)
                                                       : QStringLiteral("%1 bytes").arg(maxBytes);
        return makeError(ErrorCode::Limit, QStringLiteral("larger than %1").arg(size), path);
    };
    if (f.size() > maxBytes) return tooLarge();
    const QByteArray bytes = f.read(maxBytes + 1);
    if (bytes.size() > maxBytes) return tooLarge();
    if (f.error() != QFileDevice::NoError)
        return makeError(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(f.errorString()), path);
    return std::string(bytes.constData(), static_cast<size_t>(bytes.size()));
}

} // namespace chainsight::io
