# The workbench window (issue 3): the GUI shell joins the chainsight binary and links the views.
if(TARGET chainsight_views)
    target_sources(chainsight PRIVATE ${CMAKE_CURRENT_LIST_DIR}/MainWindow.h ${CMAKE_CURRENT_LIST_DIR}/MainWindow.cpp)
    target_link_libraries(chainsight PRIVATE chainsight_views chainsight_importers)
    target_compile_definitions(chainsight PRIVATE CHAINSIGHT_WITH_GUI
        CHAINSIGHT_SOURCE_DEMO_DIR="${CMAKE_SOURCE_DIR}/resources/demo/refund-incident")
endif()
