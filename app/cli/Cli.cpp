#include "app/cli/Cli.h"

#include "app/cli/CliCommon.h"

#include <functional>
#include <map>

namespace chainsight::cli {

int runImport(const QStringList& args);
int runVerify(const QStringList& args);
int runInfo(const QStringList& args);
int runKeys(const QStringList& args);
#define CHAINSIGHT_CLI_DECLARE
#include "CliCommands.inc"
#undef CHAINSIGHT_CLI_DECLARE

namespace {
const std::map<QString, std::function<int(const QStringList&)>>& commands()
{
    static const std::map<QString, std::function<int(const QStringList&)>> table = {
        {QStringLiteral("import"), runImport},
        {QStringLiteral("verify"), runVerify},
        {QStringLiteral("info"), runInfo},
        {QStringLiteral("keys"), runKeys},
#include "CliCommands.inc"
    };
    return table;
}
} // namespace

bool isSubcommand(const QString& word) { return commands().count(word) != 0; }

int run(const QStringList& args)
{
    auto it = commands().find(args.value(0));
    if (it == commands().end()) {
        printErr(QStringLiteral("unknown command \"%1\"").arg(args.value(0)));
        return BadInput;
    }
    QStringList rest = args;
    rest[0] = QStringLiteral("chainsight ") + args[0];
    return it->second(rest);
}

} // namespace chainsight::cli
