# Tabletop exercises (issue 10): scenario format, replay clock, the replay hiding the future, scoring, the automation
# policy, lessons out (the Sigma rules are parsed with yaml-cpp).
find_package(yaml-cpp REQUIRED)
add_executable(exercise_tests ${CMAKE_CURRENT_LIST_DIR}/ExerciseTest.cpp)
set_target_properties(exercise_tests PROPERTIES AUTOMOC OFF)
target_link_libraries(exercise_tests PRIVATE chainsight_core chainsight_importers yaml-cpp GTest::gtest GTest::gtest_main)
target_compile_definitions(exercise_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
chainsight_discover_tests(exercise_tests ENVIRONMENT "TZ=UTC;LANG=C.UTF-8" DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)

# The exercise panel in a window, offscreen (tests/exercise/screenshot.sh runs it under Xvfb for the README).
if(TARGET chainsight_views)
    add_executable(exercise_gui_tests ${CMAKE_CURRENT_LIST_DIR}/ExerciseGuiTest.cpp
                   ${CMAKE_SOURCE_DIR}/tests/support/WidgetTestMain.cpp)
    set_target_properties(exercise_gui_tests PROPERTIES AUTOMOC OFF)
    target_link_libraries(exercise_gui_tests PRIVATE chainsight_views chainsight_core chainsight_importers
                          chainsight_testsupport Qt6::Test GTest::gtest)
    target_compile_definitions(exercise_gui_tests PRIVATE CHAINSIGHT_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                               CHAINSIGHT_TEST_APP="exercise_gui_tests")
    chainsight_discover_tests(exercise_gui_tests ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC;LANG=C.UTF-8;CHAINSIGHT_ANALYST=alice" DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
endif()
