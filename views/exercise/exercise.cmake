# The exercise panel (issue 10): facilitator controls, inject feed, live score, automation policy, after-action report.
# It imports the scenario's bundle through the Workbench's import function, which the app supplies: the views
# do not link the importers (app -> views -> core, app -> importers -> core).
target_sources(chainsight_views PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ExercisePanel.h ${CMAKE_CURRENT_LIST_DIR}/ExercisePanel.cpp)
chainsight_workbench_panel(exercise "Exercise" views/exercise/ExercisePanel.h chainsight::views::ExercisePanel Right)
