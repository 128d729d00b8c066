# The exercise panel (issue 10): facilitator controls, inject feed, live score, automation policy, after-action report.
# It imports the scenario's bundle itself, so the views link the importers (which never link the views).
target_sources(chainsight_views PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ExercisePanel.h ${CMAKE_CURRENT_LIST_DIR}/ExercisePanel.cpp)
target_link_libraries(chainsight_views PUBLIC chainsight_importers)
chainsight_workbench_panel(exercise "Exercise" views/exercise/ExercisePanel.h chainsight::views::ExercisePanel Right)
