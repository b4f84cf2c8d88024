# The committed .clang-format decides formatting: fails, naming the files, when clang-format would
# change any C++ file of the product or its tests. Run by CTest (format_check):
#   cmake -DCLANG_FORMAT=… -DSOURCE_DIR=… -P formatcheck.cmake
# Another major version of clang-format formats some constructs differently: the check is
# skipped (not passed) with anything but the version the tree is formatted with.
set(expected_major 14)
execute_process(COMMAND ${CLANG_FORMAT} --version OUTPUT_VARIABLE version_text)
if(NOT version_text MATCHES "version ${expected_major}\\.")
    message("format_check skipped: the tree is formatted with clang-format ${expected_major}; found: ${version_text}")
    cmake_language(EXIT 77)
endif()
set(files "")
foreach(dir connectors models ui app tests)
    file(GLOB_RECURSE found "${SOURCE_DIR}/${dir}/*.cpp" "${SOURCE_DIR}/${dir}/*.h")
    list(APPEND files ${found})
endforeach()
list(FILTER files EXCLUDE REGEX "/tests/fuzz/corpus/")
set(bad "")
foreach(file IN LISTS files)
    execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${file}
                    WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT rc EQUAL 0)
        file(RELATIVE_PATH relative ${SOURCE_DIR} ${file})
        list(APPEND bad ${relative})
    endif()
endforeach()
list(LENGTH files checked)
if(bad)
    list(JOIN bad "\n  " listed)
    message(FATAL_ERROR "not formatted as .clang-format says (clang-format -i them):\n  ${listed}")
endif()
message("format_check: ${checked} files formatted as .clang-format says")
