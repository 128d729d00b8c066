# The signed evidence package (issue 8): write and verify.
target_sources(chainsight_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/EvidencePackage.h ${CMAKE_CURRENT_LIST_DIR}/EvidencePackage.cpp)
