# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a scratch prefix and checks that the installed `tattle` finds its resources there
# (not in the source tree) and can import the installed sample log.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}" --component Unspecified
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
execute_process(COMMAND "${PREFIX}/bin/tattle" paths OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "resources\t${PREFIX}/share/tattle")
    message(FATAL_ERROR "the installed tattle does not use ${PREFIX}/share/tattle:\n${out}")
endif()
execute_process(COMMAND "${PREFIX}/bin/tattle" --db "${PREFIX}/t.db" import --tz UTC --year 2024
        "${PREFIX}/share/tattle/samples/ufw.log"
    ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT err MATCHES "stored")
    message(FATAL_ERROR "the installed tattle cannot import its sample: ${rc}\n${err}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
