# `chainsight contain`: containment actions for scripted use (core/containment).
target_sources(chainsight_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ContainCommand.cpp)
chainsight_cli_command(contain runContain)
