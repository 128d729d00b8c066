// Shared bits of the libFuzzer targets (tests/fuzz): a scratch directory in memory for inputs that must be
// files (archives, transcripts), and the key the decision-log target pins.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace chainsight::fuzz {

// A per-process directory for inputs written as files: /dev/shm when there is one (no disk I/O).
inline const QString& scratchDir()
{
    static const QString dir = [] {
        const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
        const QString d = base + QStringLiteral("/chainsight-fuzz-%1").arg(::getpid());
        QDir().mkpath(d);
        std::atexit([] { QDir(scratchDir()).removeRecursively(); });
        return d;
    }();
    return dir;
}

// Writes the input to scratchDir()/name and returns the path.
inline QString writeInput(const QString& name, const uint8_t* data, size_t size)
{
    const QString path = scratchDir() + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) std::abort();
    if (size != 0 &&
        f.write(reinterpret_cast<const char*>(data), static_cast<qint64>(size)) != static_cast<qint64>(size))
        std::abort();
    return path;
}

// Calls fn for every line of the input (without the '\n'), with its 1-based number.
template <class Fn> void forEachLine(std::string_view text, Fn&& fn)
{
    int64_t lineNo = 0;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        fn(line, ++lineNo);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

} // namespace chainsight::fuzz
