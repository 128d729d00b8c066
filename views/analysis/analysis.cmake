# The analysis panel (issue 4, GUI part): classification card, completeness, blast radius and findings over the
# shared AnalysisService.
target_sources(chainsight_views PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/FindingsModel.h ${CMAKE_CURRENT_LIST_DIR}/FindingsModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AnalysisPanel.h ${CMAKE_CURRENT_LIST_DIR}/AnalysisPanel.cpp)
chainsight_workbench_panel(analysis "Incident" views/analysis/AnalysisPanel.h chainsight::views::AnalysisPanel Left)
