#include "core/Allocator.h"

#include <cstdlib> // first: the C library's headers define __GLIBC__ (before this, the test below was always false)

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define CHAINSIGHT_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define CHAINSIGHT_OWN_ALLOCATOR 1
#endif
#endif

namespace chainsight {

#if defined(__GLIBC__) && !defined(CHAINSIGHT_OWN_ALLOCATOR)
namespace {
// Transparent huge pages are usable unless the kernel has them off ("[never]") or has none.
bool hugePagesAvailable()
{
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string mode;
    return std::getline(in, mode) && mode.find("[never]") == std::string::npos;
}

void runAgainWithHugePages(char** argv)
{
    if (!argv || !argv[0]) return;
    if (const char* off = std::getenv("CHAINSIGHT_HUGEPAGES"); off && std::strcmp(off, "0") == 0) return;
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (tunables && std::strstr(tunables, "glibc.malloc.hugetlb")) return; // ours, after the exec, or the user's
    if (!hugePagesAvailable()) return;
    const std::string before = tunables ? tunables : "";
    const std::string with = before.empty() ? "glibc.malloc.hugetlb=1" : before + ":glibc.malloc.hugetlb=1";
    if (setenv("GLIBC_TUNABLES", with.c_str(), 1) != 0) return;
    execv("/proc/self/exe", argv);
    // Still here: the exec failed (no /proc, say). Carry on as we are, with the environment as it was.
    if (tunables) setenv("GLIBC_TUNABLES", before.c_str(), 1);
    else unsetenv("GLIBC_TUNABLES");
}
} // namespace
#endif

void configureAllocator(char** argv)
{
#if defined(__GLIBC__) && !defined(CHAINSIGHT_OWN_ALLOCATOR)
    runAgainWithHugePages(argv);
    (void)mallopt(M_ARENA_MAX, 4);
#else
    (void)argv;
#endif
}

} // namespace chainsight
