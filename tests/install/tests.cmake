# The installer (issue 9): the man page against the binary always; the .deb installed and run when
# CHAINSIGHT_TEST_INSTALL is on (CI, as root: apt-get installs it for real).
add_test(NAME install_manpage COMMAND ${CMAKE_CURRENT_LIST_DIR}/check-manpage.sh $<TARGET_FILE:chainsight> ${CMAKE_BINARY_DIR}/installer/chainsight.1)
set_tests_properties(install_manpage PROPERTIES LABELS install)
if(CHAINSIGHT_TEST_INSTALL AND CHAINSIGHT_BUILD_GUI)
    add_test(NAME install_deb COMMAND ${CMAKE_CURRENT_LIST_DIR}/test-deb.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
    # cpack packs the build tree's install: it must not run while other tests rebuild or write there.
    set_tests_properties(install_deb PROPERTIES LABELS install RUN_SERIAL ON TIMEOUT 900)
endif()
