# `chainsight playbook`: the response workflow of a case on the command line (issue 6).
target_sources(chainsight_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/PlaybookCommand.cpp)
chainsight_cli_command(playbook runPlaybook)
