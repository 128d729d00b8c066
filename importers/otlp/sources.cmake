# OpenTelemetry traces (OTLP JSON, GenAI semantic conventions).
target_sources(chainsight_importers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/OtlpDecoder.h ${CMAKE_CURRENT_LIST_DIR}/OtlpDecoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/OtlpImporter.h ${CMAKE_CURRENT_LIST_DIR}/OtlpImporter.cpp
)
