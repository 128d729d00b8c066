# Response workflow (issue 6): playbooks as data, the case's classification, checklist, RACI, ladder and clocks.
find_package(yaml-cpp REQUIRED)
target_sources(chainsight_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Playbook.h
    ${CMAKE_CURRENT_LIST_DIR}/Playbook.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Response.h
    ${CMAKE_CURRENT_LIST_DIR}/Response.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/store/ResponseStore.h
    ${CMAKE_CURRENT_SOURCE_DIR}/store/ResponseStore.cpp
)
target_link_libraries(chainsight_core PRIVATE yaml-cpp)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/Playbook.cpp PROPERTIES
    COMPILE_DEFINITIONS "CHAINSIGHT_SOURCE_PLAYBOOKS=\"${CMAKE_SOURCE_DIR}/resources/playbooks\"")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/resources/playbooks DESTINATION share/chainsight)
