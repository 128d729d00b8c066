# Workbench benchmark (issue 3): launch to first paint, graph build + layout, search latency, peak RSS on a
# generated 1M-event case. Run: QT_QPA_PLATFORM=offscreen build/tests/bench/gui_bench [N] [CACHE_DIR]
if(TARGET chainsight_views)
    add_executable(gui_bench ${CMAKE_CURRENT_LIST_DIR}/GuiBench.cpp ${CMAKE_SOURCE_DIR}/app/MainWindow.h ${CMAKE_SOURCE_DIR}/app/MainWindow.cpp)
    set_target_properties(gui_bench PROPERTIES AUTOMOC ON)
    target_link_libraries(gui_bench PRIVATE chainsight_views chainsight_core chainsight_importers chainsight_testsupport)
endif()
