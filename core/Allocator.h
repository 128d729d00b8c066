// Process-wide allocator settings, applied once at the start of main() by the chainsight binary and the
// benchmarks (so they measure what the binary does).
#pragma once

namespace chainsight {

// Two settings of glibc's malloc; on other C libraries, and in sanitizer builds (their own allocator), nothing.
//
// Arenas: glibc gives each thread that allocates under contention an arena of its own, up to eight per core,
// and memory freed into one arena is not reused by another. An import allocates events on parser threads and
// frees them on the writer thread, so arenas fill with freed memory no one reuses: a 1M-event import peaked at
// 382 MB with the default and 342 MB with four arenas, at the same speed (one arena: 275 MB but slower, the
// threads queue on its lock).
//
// Huge pages: a large case is hundreds of megabytes of small allocations, and on a virtual machine every first
// touch of a 4 kB page is an expensive fault (in perf of the analysis, 7% of all samples). glibc's
// malloc can ask for transparent huge pages instead (madvise, where the kernel's THP mode is "madvise" or
// "always"), but reads that setting, the tunable glibc.malloc.hugetlb=1, only from GLIBC_TUNABLES at start. So
// when it is not set yet, this adds it and runs the program again (execv of /proc/self/exe, same arguments), once:
// a marker variable tells the second run, which puts GLIBC_TUNABLES back as the user had it, so child processes
// do not inherit it. A failed exec changes nothing. Skipped: CHAINSIGHT_HUGEPAGES=0; a GLIBC_TUNABLES that already
// names glibc.malloc.hugetlb; secure-execution mode; a start through the dynamic loader; glibc before 2.35; a
// kernel with THP off. Static constructors run twice. argv must be main's (null-terminated).
void configureAllocator(char** argv);

} // namespace chainsight
