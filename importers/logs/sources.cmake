# Shared parts of the foreign-log importers: the streaming JSON item reader, the decoder interface, the one-file
# import driver, and the correlation of cloud records with agent actions.
target_sources(chainsight_importers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/JsonItemStream.h ${CMAKE_CURRENT_LIST_DIR}/JsonItemStream.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LogDecoder.h ${CMAKE_CURRENT_LIST_DIR}/KeyWatch.h
    ${CMAKE_CURRENT_LIST_DIR}/ForeignImport.h ${CMAKE_CURRENT_LIST_DIR}/ForeignImport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Correlator.h ${CMAKE_CURRENT_LIST_DIR}/Correlator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/BundleLogs.h ${CMAKE_CURRENT_LIST_DIR}/BundleLogs.cpp
)
