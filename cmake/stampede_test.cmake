# stampede_test(NAME SOURCES a_test.cc ... LIBS lib ...)
# Builds one GoogleTest executable and registers its tests with CTest.
function(stampede_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "STAMPEDE_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()
