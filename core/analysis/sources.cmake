# Analysis: provenance taint, baseline and runtime checks, incident type, blast radius, ATLAS (QtCore only).
# The ATLAS data ships in resources/atlas/ and is compiled in, so the CLI and GUI need no resource files.
set(CHAINSIGHT_ATLAS_FILE ${CMAKE_SOURCE_DIR}/resources/atlas/atlas-techniques.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CHAINSIGHT_ATLAS_FILE})
file(READ ${CHAINSIGHT_ATLAS_FILE} CHAINSIGHT_ATLAS_JSON)
configure_file(${CMAKE_CURRENT_LIST_DIR}/AtlasData.cpp.in ${CMAKE_CURRENT_BINARY_DIR}/analysis/AtlasData.cpp @ONLY)
target_sources(chainsight_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Analysis.h ${CMAKE_CURRENT_LIST_DIR}/Analysis.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Atlas.h ${CMAKE_CURRENT_LIST_DIR}/Atlas.cpp
    ${CMAKE_CURRENT_BINARY_DIR}/analysis/AtlasData.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TextSignals.h ${CMAKE_CURRENT_LIST_DIR}/TextSignals.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RawJson.h ${CMAKE_CURRENT_LIST_DIR}/RawJson.cpp
    ${CMAKE_CURRENT_LIST_DIR}/EngineState.h ${CMAKE_CURRENT_LIST_DIR}/Engine.h ${CMAKE_CURRENT_LIST_DIR}/StringMap.h
    ${CMAKE_CURRENT_LIST_DIR}/AnalysisEngine.cpp ${CMAKE_CURRENT_LIST_DIR}/AnalysisVerdict.cpp
)
# The analysis reads the case through a narrow, allocation-free scan (SQL stays in core/store/).
target_sources(chainsight_core PRIVATE ${CMAKE_SOURCE_DIR}/core/store/EventScan.h ${CMAKE_SOURCE_DIR}/core/store/EventScan.cpp)
