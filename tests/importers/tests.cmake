# Foreign-format importer tests: OTLP, CloudTrail, AgentDojo transcripts, the mixed incident, format detection.
add_executable(importers_tests ${CMAKE_CURRENT_LIST_DIR}/ImportersTest.cpp)
set_target_properties(importers_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(importers_tests PRIVATE chainsight_core chainsight_importers GTest::gtest GTest::gtest_main)
target_compile_definitions(importers_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
chainsight_discover_tests(importers_tests ENVIRONMENT "TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60)
