# Report, legal copy, exports and evidence package tests (issue 8). GUI-platform tests: offscreen.
add_executable(report_tests
    ${CMAKE_CURRENT_LIST_DIR}/ReportTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PackageTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReportTestMain.cpp
)
set_target_properties(report_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(report_tests PRIVATE chainsight_core chainsight_importers chainsight_testsupport GTest::gtest)
target_compile_definitions(report_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
chainsight_discover_tests(report_tests ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60)

# The independent Python verifier must agree with `chainsight verify` on an intact package and on packages with
# a byte changed in each entry.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND AND TARGET chainsight)
    add_test(NAME report.PythonVerifierAgrees
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/compare_verifiers.py
                $<TARGET_FILE:chainsight> ${CMAKE_SOURCE_DIR}/resources/demo/refund-incident ${CMAKE_CURRENT_LIST_DIR}/verify_package.py)
    set_tests_properties(report.PythonVerifierAgrees PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8" TIMEOUT 600)
endif()
