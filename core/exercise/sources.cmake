# Tabletop exercises (issue 10): scenario and policy files, the replay clock and the participants' case, scoring,
# the automation policy over the replay, lessons out (tightened baseline, Sigma rules). QtCore only.
target_sources(chainsight_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Scenario.h ${CMAKE_CURRENT_LIST_DIR}/Scenario.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Replay.h ${CMAKE_CURRENT_LIST_DIR}/Replay.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Exercise.h ${CMAKE_CURRENT_LIST_DIR}/Exercise.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Headless.h ${CMAKE_CURRENT_LIST_DIR}/Headless.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Lessons.h ${CMAKE_CURRENT_LIST_DIR}/Lessons.cpp
    ${CMAKE_SOURCE_DIR}/core/store/ExerciseStore.h ${CMAKE_SOURCE_DIR}/core/store/ExerciseStore.cpp
)
