# Response workflow panel (issue 6): classification decision, checklist, RACI editor, ladder and clocks.
target_sources(chainsight_views PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ResponseController.h ${CMAKE_CURRENT_LIST_DIR}/ResponseController.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ChecklistModel.h ${CMAKE_CURRENT_LIST_DIR}/ChecklistModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RaciModel.h ${CMAKE_CURRENT_LIST_DIR}/RaciModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ChecklistPanel.h ${CMAKE_CURRENT_LIST_DIR}/ChecklistPanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RaciEditor.h ${CMAKE_CURRENT_LIST_DIR}/RaciEditor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ClassificationPanel.h ${CMAKE_CURRENT_LIST_DIR}/ClassificationPanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ClocksView.h ${CMAKE_CURRENT_LIST_DIR}/ClocksView.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ResponsePanel.h ${CMAKE_CURRENT_LIST_DIR}/ResponsePanel.cpp
)
chainsight_workbench_panel(response "Response" views/response/ResponsePanel.h chainsight::views::ResponsePanel Bottom)
