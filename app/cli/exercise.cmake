# `chainsight exercise` (tabletop exercises) and `chainsight lessons` (lessons out): issue 10.
target_sources(chainsight_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ExerciseCommand.cpp)
chainsight_cli_command(exercise runExercise)
target_sources(chainsight_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/LessonsCommand.cpp)
chainsight_cli_command(lessons runLessons)
