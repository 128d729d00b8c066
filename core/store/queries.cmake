# The workbench's read API over the case (issue 3): included by core/CMakeLists.txt.
target_sources(chainsight_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/CaseQueries.h
    ${CMAKE_CURRENT_LIST_DIR}/CaseQueries.cpp
)
