# Response workflow tests (issue 6): playbooks, classification, checklist gates, RACI, undo/redo, clocks.
add_executable(response_tests ${CMAKE_CURRENT_LIST_DIR}/ResponseTest.cpp)
set_target_properties(response_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(response_tests PRIVATE chainsight_core chainsight_importers chainsight_testsupport GTest::gtest GTest::gtest_main)
target_compile_definitions(response_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
chainsight_discover_tests(response_tests ENVIRONMENT "TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60)

if(TARGET chainsight_views)
    add_executable(response_gui_tests ${CMAKE_CURRENT_LIST_DIR}/ResponseGuiTest.cpp
                   ${CMAKE_SOURCE_DIR}/tests/support/WidgetTestMain.cpp)
    target_link_libraries(response_gui_tests PRIVATE chainsight_views chainsight_core chainsight_importers chainsight_testsupport
                          Qt6::Test GTest::gtest)
    target_compile_definitions(response_gui_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                               CHAINSIGHT_TEST_APP="response_gui_tests")
    chainsight_discover_tests(response_gui_tests ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60)
endif()
