# Hardening (issue 9): tamper location at scale, limits, a reader during an import, crash safety of analyst
# edits. Also built into the sanitizer suite (./dev.sh sanitize).
find_package(ZLIB REQUIRED)
add_executable(hardening_edit_writer ${CMAKE_CURRENT_LIST_DIR}/EditWriter.cpp)
set_target_properties(hardening_edit_writer PROPERTIES AUTOMOC OFF)
target_link_libraries(hardening_edit_writer PRIVATE chainsight_core)

add_executable(hardening_tests
    ${CMAKE_CURRENT_LIST_DIR}/TamperTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LimitsTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ConcurrencyTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/EditCrashSafetyTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/FuzzRegressionTest.cpp
)
set_target_properties(hardening_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(hardening_tests PRIVATE chainsight_core chainsight_importers chainsight_testsupport ZLIB::ZLIB GTest::gtest GTest::gtest_main)
target_compile_definitions(hardening_tests PRIVATE CHAINSIGHT_EDIT_WRITER="$<TARGET_FILE:hardening_edit_writer>")
add_dependencies(hardening_tests hardening_edit_writer)
chainsight_discover_tests(hardening_tests ENVIRONMENT "TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60)
