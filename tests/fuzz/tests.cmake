# libFuzzer targets for every untrusted-input reader (issue 9). Off by default: they need clang and a
# build of their own, instrumented for coverage and checked by ASan + UBSan:
#   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
#         -DCHAINSIGHT_FUZZ=ON -DCHAINSIGHT_SANITIZE=ON -DCHAINSIGHT_BUILD_GUI=OFF
#   cmake --build build-fuzz --target fuzz_all
#   ctest --test-dir build-fuzz -L fuzz        # the smoke run: CHAINSIGHT_FUZZ_SECONDS per target (default 60)
# Long runs: docs/fuzzing.md.
if(NOT CHAINSIGHT_FUZZ)
    return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CHAINSIGHT_FUZZ needs clang (libFuzzer): -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14")
endif()
if(NOT CHAINSIGHT_SANITIZE)
    message(FATAL_ERROR "CHAINSIGHT_FUZZ needs -DCHAINSIGHT_SANITIZE=ON: the fuzzers look for memory errors and undefined behaviour")
endif()
set(CHAINSIGHT_FUZZ_SECONDS 60 CACHE STRING "Seconds each fuzz target runs in the ctest smoke run")

# The code under test is instrumented for coverage; only the targets link libFuzzer's main().
foreach(lib chainsight_core chainsight_importers chainsight_testsupport)
    target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link)
endforeach()

set(fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
set(fuzz_corpus ${CMAKE_BINARY_DIR}/fuzz-corpus)

add_executable(fuzz_seed_corpus ${fuzz_dir}/SeedCorpus.cpp)
set_target_properties(fuzz_seed_corpus PROPERTIES AUTOMOC OFF)
target_link_libraries(fuzz_seed_corpus PRIVATE chainsight_core chainsight_testsupport)
add_test(NAME fuzz_seeds COMMAND fuzz_seed_corpus ${CMAKE_SOURCE_DIR} ${fuzz_corpus}/seeds)
set_tests_properties(fuzz_seeds PROPERTIES FIXTURES_SETUP fuzz_seeds LABELS fuzz)

add_custom_target(fuzz_all)
# chainsight_fuzz_target(<name> <source> [libraries...]): fuzz_<name>, seeded from seeds/<name>, with a
# smoke test of CHAINSIGHT_FUZZ_SECONDS.
function(chainsight_fuzz_target name source)
    add_executable(fuzz_${name} ${source} ${fuzz_dir}/FuzzSupport.h)
    set_target_properties(fuzz_${name} PROPERTIES AUTOMOC OFF)
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${name} PRIVATE chainsight_core ${ARGN})
    target_compile_definitions(fuzz_${name} PRIVATE CHAINSIGHT_FUZZ_KEYS="${CMAKE_SOURCE_DIR}/tests/data/scenarios/keys")
    add_dependencies(fuzz_all fuzz_${name})
    # -max_total_time bounds the run; -timeout flags an input that hangs; -rss_limit_mb a leak or a blow-up.
    # -seed fixes the mutations, so a smoke run that fails in CI fails the same way on a developer's machine
    # (long runs, docs/fuzzing.md, explore with random seeds). New inputs go to the first (work) directory;
    # the seeds stay as they are.
    add_test(NAME fuzz_smoke_${name}
        COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
                $<TARGET_FILE:fuzz_${name}> -seed=1 -max_total_time=${CHAINSIGHT_FUZZ_SECONDS} -timeout=20 -rss_limit_mb=2560
                -dict=${fuzz_dir}/json.dict -print_final_stats=1 -artifact_prefix=${fuzz_corpus}/crash-${name}-
                ${fuzz_corpus}/work/${name} ${fuzz_corpus}/seeds/${name})
    set_tests_properties(fuzz_smoke_${name} PROPERTIES FIXTURES_REQUIRED fuzz_seeds LABELS fuzz
                         TIMEOUT 0 RUN_SERIAL ON)
    file(MAKE_DIRECTORY ${fuzz_corpus}/work/${name})
endfunction()

chainsight_fuzz_target(json ${fuzz_dir}/FuzzJson.cpp)
chainsight_fuzz_target(event ${fuzz_dir}/FuzzEvent.cpp)
chainsight_fuzz_target(manifest ${fuzz_dir}/FuzzManifest.cpp chainsight_importers)
chainsight_fuzz_target(decision_log ${fuzz_dir}/FuzzDecisionLog.cpp)
chainsight_fuzz_target(bundle_archive ${fuzz_dir}/FuzzBundleArchive.cpp chainsight_importers)
# The single-file importers end to end (FuzzFileImport.cpp: parsing, mapping and the write into a case).
foreach(format transcript otlp cloudtrail)
    chainsight_fuzz_target(${format} ${fuzz_dir}/FuzzFileImport.cpp chainsight_importers)
    set(file ${format}.json)
    if(format STREQUAL "transcript")
        set(file transcript.jsonl)
    endif()
    target_compile_definitions(fuzz_${format} PRIVATE CHAINSIGHT_FUZZ_FORMAT="${format}" CHAINSIGHT_FUZZ_FILE="${file}")
endforeach()
# The same importers' decoders on their own, without the case (FuzzLogDecoder.cpp): thousands of inputs a second,
# each checked for events that read back and for output that does not depend on where the input was cut.
foreach(format transcript otlp cloudtrail)
    chainsight_fuzz_target(${format}_decode ${fuzz_dir}/FuzzLogDecoder.cpp chainsight_importers)
    target_compile_definitions(fuzz_${format}_decode PRIVATE CHAINSIGHT_FUZZ_FORMAT="${format}")
endforeach()
chainsight_fuzz_target(json_items ${fuzz_dir}/FuzzJsonItems.cpp chainsight_importers)
