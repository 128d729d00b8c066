# AWS CloudTrail log files, correlated with agent actions by identity and time.
target_sources(chainsight_importers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/CloudTrailDecoder.h ${CMAKE_CURRENT_LIST_DIR}/CloudTrailDecoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/CloudTrailImporter.h ${CMAKE_CURRENT_LIST_DIR}/CloudTrailImporter.cpp
)
