#include "core/Allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace chainsight {

void configureAllocator()
{
#if defined(__GLIBC__)
    (void)mallopt(M_ARENA_MAX, 4);
#endif
}

} // namespace chainsight
