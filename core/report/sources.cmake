# Incident report, legal review copy, exports and the evidence package (issue 8). The report is laid out by
# Qt's rich-text engine and written by QPdfWriter, so core links QtGui here (never QtWidgets).
find_package(Qt6 REQUIRED COMPONENTS Gui)
target_link_libraries(chainsight_core PUBLIC Qt6::Gui)

set(CHAINSIGHT_REPORT_TEMPLATE_FILE ${CMAKE_SOURCE_DIR}/resources/report/template.html)
set(CHAINSIGHT_REPORT_REDACTION_FILE ${CMAKE_SOURCE_DIR}/resources/report/redaction.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CHAINSIGHT_REPORT_TEMPLATE_FILE} ${CHAINSIGHT_REPORT_REDACTION_FILE})
file(READ ${CHAINSIGHT_REPORT_TEMPLATE_FILE} CHAINSIGHT_REPORT_TEMPLATE)
file(READ ${CHAINSIGHT_REPORT_REDACTION_FILE} CHAINSIGHT_REPORT_REDACTION)
configure_file(${CMAKE_CURRENT_LIST_DIR}/ReportResources.cpp.in ${CMAKE_CURRENT_BINARY_DIR}/report/ReportResources.cpp @ONLY)

target_sources(chainsight_core PRIVATE
    ${CMAKE_SOURCE_DIR}/core/store/ReportQueries.h ${CMAKE_SOURCE_DIR}/core/store/ReportQueries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReportData.h ${CMAKE_CURRENT_LIST_DIR}/ReportData.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Charts.h ${CMAKE_CURRENT_LIST_DIR}/Charts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Redaction.h ${CMAKE_CURRENT_LIST_DIR}/Redaction.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReportRenderer.h ${CMAKE_CURRENT_LIST_DIR}/ReportRenderer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReportSections.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Exports.h ${CMAKE_CURRENT_LIST_DIR}/Exports.cpp
    ${CMAKE_CURRENT_BINARY_DIR}/report/ReportResources.cpp
)
