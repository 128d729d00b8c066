// The workbench window's entry point (QApplication, the main window, --demo / open / --screenshot).
#pragma once

namespace chainsight {
int runGui(int argc, char** argv);
}
