# `chainsight analyze`: the analysis on the command line.
target_sources(chainsight_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/AnalyzeCommand.cpp)
chainsight_cli_command(analyze runAnalyze)
