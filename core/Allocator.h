// Process-wide allocator settings, applied once at the start of main() by the chainsight binary and the
// benchmarks (so they measure what the binary does).
#pragma once

namespace chainsight {

// glibc gives each thread that allocates under contention an arena of its own, up to eight per core, and
// memory freed into one arena is not reused by another. An import allocates events on parser threads and
// frees them on the writer thread, so arenas fill with freed memory no one reuses: a 1M-event import peaked
// at 382 MB with the default and 342 MB with four arenas, at the same speed (one arena: 275 MB but
// slower, the threads queue on its lock). Does nothing on other C libraries.
void configureAllocator();

} // namespace chainsight
