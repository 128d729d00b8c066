# Containment tests: exact requests per protocol, loopback HTTPS backends with a CA made by the test, custody
# records before and after, retries and idempotency, the approval gate, masking, failure paths, canary secrets.
add_executable(containment_tests
    ${CMAKE_CURRENT_LIST_DIR}/TestPki.h ${CMAKE_CURRENT_LIST_DIR}/TestPki.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TestBackend.h ${CMAKE_CURRENT_LIST_DIR}/TestBackend.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ContainmentFixture.h
    ${CMAKE_CURRENT_LIST_DIR}/RequestBuilderTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ContainmentServiceTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ContainCliTest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TestMain.cpp
)
set_target_properties(containment_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(containment_tests PRIVATE chainsight_core chainsight_importers chainsight_testsupport Qt6::Network
                      OpenSSL::Crypto GTest::gtest)
target_compile_definitions(containment_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                           CHAINSIGHT_BIN="$<TARGET_FILE:chainsight>")
chainsight_discover_tests(containment_tests ENVIRONMENT "TZ=UTC;LANG=C.UTF-8;CHAINSIGHT_ANALYST=alice" DISCOVERY_TIMEOUT 60)

# The Containment panel on the demo incident against a loopback test backend (tests/containment/screenshot.sh
# runs it under Xvfb for the README's screenshot).
if(TARGET chainsight_views)
    add_executable(containment_gui_tests
        ${CMAKE_CURRENT_LIST_DIR}/TestPki.h ${CMAKE_CURRENT_LIST_DIR}/TestPki.cpp
        ${CMAKE_CURRENT_LIST_DIR}/TestBackend.h ${CMAKE_CURRENT_LIST_DIR}/TestBackend.cpp
        ${CMAKE_CURRENT_LIST_DIR}/ContainmentGuiTest.cpp ${CMAKE_SOURCE_DIR}/tests/support/WidgetTestMain.cpp)
    set_target_properties(containment_gui_tests PROPERTIES AUTOMOC OFF)
    target_link_libraries(containment_gui_tests PRIVATE chainsight_views chainsight_core chainsight_importers
                          chainsight_testsupport Qt6::Network Qt6::Test OpenSSL::Crypto GTest::gtest)
    target_compile_definitions(containment_gui_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                               CHAINSIGHT_TEST_APP="containment_gui_tests")
    chainsight_discover_tests(containment_gui_tests ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8;CHAINSIGHT_ANALYST=alice" DISCOVERY_TIMEOUT 60)
endif()
