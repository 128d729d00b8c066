# Containment panel (issue 7): suggestions, dry run, approval, actions with live state, receipts; backends dialog.
target_sources(chainsight_views PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ActionsModel.h ${CMAKE_CURRENT_LIST_DIR}/ActionsModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/BackendDialog.h ${CMAKE_CURRENT_LIST_DIR}/BackendDialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ContainmentPanel.h ${CMAKE_CURRENT_LIST_DIR}/ContainmentPanel.cpp
)
chainsight_workbench_panel(containment "Containment" views/containment/ContainmentPanel.h
                           chainsight::views::ContainmentPanel Right)
