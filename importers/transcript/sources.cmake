# Agent transcript importer (OpenAI-style messages, AgentDojo/Invariant JSONL runs).
target_sources(chainsight_importers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/TranscriptMapper.h ${CMAKE_CURRENT_LIST_DIR}/TranscriptMapper.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TranscriptImporter.h ${CMAKE_CURRENT_LIST_DIR}/TranscriptImporter.cpp
)
