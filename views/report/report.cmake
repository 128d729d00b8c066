# Report preview panel (issue 8): the incident report as it will print, with export to HTML, PDF, the legal
# review copy (opened read-only) and the signed evidence package.
target_sources(chainsight_views PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ReportPanel.h ${CMAKE_CURRENT_LIST_DIR}/ReportPanel.cpp)
chainsight_workbench_panel(report "Report" views/report/ReportPanel.h chainsight::views::ReportPanel Right)
