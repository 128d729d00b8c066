# Analysis and transcript-import tests: scenario bundles with ground truth, the recorded AgentDojo runs.
add_executable(analysis_tests
    ${CMAKE_CURRENT_LIST_DIR}/AnalysisTestUtil.h
    ${CMAKE_CURRENT_LIST_DIR}/ScenarioTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AgentDojoTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StringMapTest.cpp
)
set_target_properties(analysis_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(analysis_tests PRIVATE chainsight_core chainsight_importers chainsight_testsupport GTest::gtest GTest::gtest_main)
target_compile_definitions(analysis_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
chainsight_discover_tests(analysis_tests ENVIRONMENT "TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60)
