# Workbench window tests (issue 3): models under QAbstractItemModelTester, selection across panels, filters and
# search, graph folds and the kill chain, import cancel. Offscreen; the main window is compiled in.
if(TARGET chainsight_views)
    add_executable(gui_tests ${CMAKE_CURRENT_LIST_DIR}/WorkbenchTest.cpp
                   ${CMAKE_SOURCE_DIR}/app/MainWindow.h ${CMAKE_SOURCE_DIR}/app/MainWindow.cpp)
    set_target_properties(gui_tests PROPERTIES AUTOMOC ON)
    target_link_libraries(gui_tests PRIVATE chainsight_views chainsight_core chainsight_importers chainsight_testsupport
                          Qt6::Test GTest::gtest GTest::gtest_main)
    target_compile_definitions(gui_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
    chainsight_discover_tests(gui_tests ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60
                              TEST_FILTER "-WorkPool.*" PROPERTIES TIMEOUT 600)
    # The regression test of the exit-order fix (views/CaseContext.cpp) can only fail under LeakSanitizer, and
    # only with libcrypto's allocations reported: so it runs in sanitizer builds alone, with the suppression list
    # minus its libcrypto line (tests/hardening/lsan.supp), and is left out of the discovered tests above.
    if(CHAINSIGHT_SANITIZE)
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/hardening/lsan.supp)
        file(READ ${CMAKE_SOURCE_DIR}/tests/hardening/lsan.supp _chainsight_lsan)
        string(REGEX REPLACE "(^|\n)leak:libcrypto\\.so[ \t]*(\n|$)" "\\1" _chainsight_lsan_strict "${_chainsight_lsan}")
        if(_chainsight_lsan_strict STREQUAL _chainsight_lsan)
            message(FATAL_ERROR "tests/gui/tests.cmake: no leak:libcrypto.so line to leave out of tests/hardening/lsan.supp")
        endif()
        file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/lsan-strict.supp "${_chainsight_lsan_strict}")
        add_test(NAME WorkPool.StrictLeakCheck COMMAND gui_tests --gtest_filter=WorkPool.WorkerOpenSslStateIsFreedAtExit)
        # A filter that matched nothing would exit 0: that output fails it.
        set_tests_properties(WorkPool.StrictLeakCheck PROPERTIES FAIL_REGULAR_EXPRESSION "\\[  PASSED  \\] 0 tests" ENVIRONMENT
                             "QT_QPA_PLATFORM=offscreen;LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_BINARY_DIR}/lsan-strict.supp:print_suppressions=0")
    endif()
endif()
