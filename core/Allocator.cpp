#include "core/Allocator.h"

#include <cstdlib> // first: the C library's headers define __GLIBC__ (before this, the test below was always false)

#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#include <malloc.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_HWADDRESS__)
#define CHAINSIGHT_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(hwaddress_sanitizer) || __has_feature(leak_sanitizer)
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

// Set in the environment of the run this starts, to the GLIBC_TUNABLES of before (or to "-" for none): the
// marker that it is the second run, whatever became of the tunable (a process in secure-execution mode, or a
// launcher that cleans the environment, would drop it, and the runs would never end).
constexpr const char* kMarker = "CHAINSIGHT_REEXEC_TUNABLES";

bool glibcHasHugePageTunable()
{
    int major = 0, minor = 0;
    return std::sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) == 2 && (major > 2 || (major == 2 && minor >= 35));
}

void runAgainWithHugePages(char** argv)
{
    if (const char* before = std::getenv(kMarker)) {
        // The second run: malloc has read the tunable already. Children get the environment the user gave us.
        if (std::strcmp(before, "-") == 0) unsetenv("GLIBC_TUNABLES");
        else setenv("GLIBC_TUNABLES", before, 1);
        unsetenv(kMarker);
        return;
    }
    if (!argv || !argv[0]) return;
    if (const char* off = std::getenv("CHAINSIGHT_HUGEPAGES"); off && std::strcmp(off, "0") == 0) return;
    if (getauxval(AT_SECURE) != 0) return; // glibc ignores GLIBC_TUNABLES there
    if (getauxval(AT_BASE) == 0) return;   // run through the loader (or static): /proc/self/exe is not us
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (tunables && std::strstr(tunables, "glibc.malloc.hugetlb")) return; // the user's choice
    if (!glibcHasHugePageTunable() || !hugePagesAvailable()) return;
    const std::string before = tunables ? tunables : "";
    const std::string with = before.empty() ? "glibc.malloc.hugetlb=1" : before + ":glibc.malloc.hugetlb=1";
    if (setenv(kMarker, tunables ? tunables : "-", 1) != 0) return;
    if (setenv("GLIBC_TUNABLES", with.c_str(), 1) == 0) execv("/proc/self/exe", argv);
    // Still here: the exec failed (no /proc, say). Carry on as we are, with the environment as it was.
    if (tunables) setenv("GLIBC_TUNABLES", before.c_str(), 1);
    else unsetenv("GLIBC_TUNABLES");
    unsetenv(kMarker);
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
