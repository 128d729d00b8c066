#include "app/cli/CliCommon.h"

#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

namespace chainsight::cli {

QString fromStd(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

void printErr(const QString& line)
{
    QByteArray out = QByteArrayLiteral("chainsight: ") + line.toUtf8() + '\n';
    std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stderr);
    std::fflush(stderr);
}

void printLine(const QString& line)
{
    QByteArray out = line.toUtf8() + '\n';
    std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
}

void printError(const Error& e, const QString& prefix)
{
    Error copy = e;
    // A path inside a bundle is shown under the bundle's own path so the user can find it.
    if (!prefix.isEmpty() && !copy.file.isEmpty() && QFileInfo(copy.file).isRelative() && copy.file != prefix)
        copy.file = prefix + QLatin1Char('/') + copy.file;
    else if (!prefix.isEmpty() && copy.file.isEmpty())
        copy.file = prefix;
    printErr(copy.toString());
}

void printJson(const QJsonObject& obj)
{
    QByteArray out = QJsonDocument(obj).toJson(QJsonDocument::Indented);
    std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    std::fflush(stdout);
}

int exitFor(const Error& e)
{
    switch (e.code) {
    case ErrorCode::Integrity:
    case ErrorCode::Blocked:
    case ErrorCode::Database:
    case ErrorCode::Internal:
    case ErrorCode::Network:
        return Failed;
    default:
        return BadInput;
    }
}

bool parseArgs(QCommandLineParser& parser, const QStringList& args, const QString& usage, int* code)
{
    parser.setApplicationDescription(usage);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        printErr(parser.errorText());
        *code = BadInput;
        return false;
    }
    if (parser.isSet(help)) {
        printLine(parser.helpText());
        *code = Ok;
        return false;
    }
    return true;
}

std::unique_ptr<store::CaseStore> openCase(const QString& path, bool create, bool readOnly)
{
    store::OpenOptions o;
    o.mode = create ? store::OpenOptions::Mode::OpenOrCreate
                    : (readOnly ? store::OpenOptions::Mode::ReadOnly : store::OpenOptions::Mode::OpenExisting);
    auto cs = store::CaseStore::open(path, o);
    if (!cs) {
        printError(cs.error());
        return nullptr;
    }
    return std::move(*cs);
}

} // namespace chainsight::cli
