# Gzip streams for foreign log files (CloudTrail .json.gz); libarchive stays behind the wall.
target_sources(chainsight_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/Gzip.h ${CMAKE_CURRENT_LIST_DIR}/Gzip.cpp)
