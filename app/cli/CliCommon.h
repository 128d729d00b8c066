// Helpers shared by the subcommands: the one-line error form, JSON output, opening a case.
#pragma once

#include "app/cli/Cli.h"
#include "core/Result.h"
#include "core/store/CaseStore.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace chainsight::cli {

// "chainsight: FILE:LINE: what is wrong" on stderr. prefix (a bundle path) is put before a relative file.
void printError(const Error& e, const QString& prefix = {});
void printLine(const QString& line);            // stdout
void printErr(const QString& line);             // stderr, "chainsight: " + line
void printJson(const QJsonObject& obj);         // stdout, indented
int exitFor(const Error& e);                    // BadInput for input problems, Failed for integrity ones

// Parses args with parser; on --help prints and returns false with code 0, on error prints and returns false.
bool parseArgs(QCommandLineParser& parser, const QStringList& args, const QString& usage, int* code);

// Opens an existing case (or creates it when create is true). Errors are printed.
std::unique_ptr<store::CaseStore> openCase(const QString& path, bool create, bool readOnly = false);

QString fromStd(const std::string& s);

} // namespace chainsight::cli
