# The execution graph and its Graphviz layout (issue 3): included by core/CMakeLists.txt.
target_sources(chainsight_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ExecutionGraph.h
    ${CMAKE_CURRENT_LIST_DIR}/ExecutionGraph.cpp
    ${CMAKE_CURRENT_LIST_DIR}/GraphLayout.h
    ${CMAKE_CURRENT_LIST_DIR}/GraphLayout.cpp
)
target_link_libraries(chainsight_core PRIVATE PkgConfig::GRAPHVIZ)
