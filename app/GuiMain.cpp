// Placeholder until the workbench window lands (issue 3): says so instead of pretending.
#include "app/GuiMain.h"

#include <cstdio>

namespace chainsight {
int runGui(int, char**)
{
    std::fprintf(stderr, "chainsight: the workbench window is not built yet; use the subcommands (chainsight --help)\n");
    return 2;
}
} // namespace chainsight
