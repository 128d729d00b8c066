// The headless command line: `chainsight SUBCOMMAND ...`. Runs on QCoreApplication: no display needed.
#pragma once

#include <QStringList>

namespace chainsight::cli {

// Exit codes shared by every subcommand.
enum Exit { Ok = 0, Failed = 1, BadInput = 2 };

bool isSubcommand(const QString& word);
int run(const QStringList& args); // args[0] is the subcommand

} // namespace chainsight::cli
