# Workbench window tests (issue 3): models under QAbstractItemModelTester, selection across panels, filters and
# search, graph folds and the kill chain, import cancel. Offscreen; the main window is compiled in.
if(TARGET chainsight_views)
    add_executable(gui_tests ${CMAKE_CURRENT_LIST_DIR}/WorkbenchTest.cpp
                   ${CMAKE_SOURCE_DIR}/app/MainWindow.h ${CMAKE_SOURCE_DIR}/app/MainWindow.cpp)
    set_target_properties(gui_tests PROPERTIES AUTOMOC ON)
    target_link_libraries(gui_tests PRIVATE chainsight_views chainsight_core chainsight_importers chainsight_testsupport
                          Qt6::Test GTest::gtest GTest::gtest_main)
    target_compile_definitions(gui_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
    chainsight_discover_tests(gui_tests ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
endif()
