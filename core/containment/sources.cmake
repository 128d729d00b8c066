# Containment: actions to connected backends (OAuth revocation, SCIM, Kubernetes, Vault, gateway and chat webhooks)
# with dry run, approval and receipts. QtCore + QtNetwork; QtKeychain stays behind Credentials.cpp.
find_package(Qt6 REQUIRED COMPONENTS Network)
find_package(Qt6Keychain REQUIRED)
target_sources(chainsight_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Containment.h ${CMAKE_CURRENT_LIST_DIR}/RequestBuilder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Executor.h ${CMAKE_CURRENT_LIST_DIR}/Executor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Credentials.h ${CMAKE_CURRENT_LIST_DIR}/Credentials.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ContainmentService.h ${CMAKE_CURRENT_LIST_DIR}/ContainmentService.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Suggestions.h ${CMAKE_CURRENT_LIST_DIR}/Suggestions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/BackendSettings.h ${CMAKE_CURRENT_LIST_DIR}/BackendSettings.cpp
    ${CMAKE_SOURCE_DIR}/core/store/ActionStore.h ${CMAKE_SOURCE_DIR}/core/store/ActionStore.cpp
)
target_link_libraries(chainsight_core PUBLIC Qt6::Network PRIVATE qt6keychain)
