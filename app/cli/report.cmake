# `chainsight report` and `chainsight export`: the incident report, the signed evidence package, and exports
# for other tools (ATLAS Navigator, STIX 2.1, Timesketch). Both run under a QGuiApplication (app/main.cpp).
target_sources(chainsight_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ReportCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/ExportCommand.cpp)
chainsight_cli_command(report runReport)
chainsight_cli_command(export runExport)
