# stampede_test(NAME SOURCES a_test.cc ... LIBS lib ... [RUN_SERIAL])
# Builds one GoogleTest executable and registers its tests with CTest. RUN_SERIAL: its tests
# run alone (for tests that measure CPU, which neighbours running in parallel would skew).
function(stampede_test name)
  cmake_parse_arguments(T "RUN_SERIAL" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  set(serial FALSE)
  if(T_RUN_SERIAL)
    set(serial TRUE)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "STAMPEDE_BUILD_DIR=${PROJECT_BINARY_DIR}"
                                  RUN_SERIAL ${serial})
endfunction()
