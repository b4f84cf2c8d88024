#include "allocator.h"

#include <cstdlib> // where the C library is glibc, defines __GLIBC__

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bd::app {

void configureAllocator()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 2 << 20);
#endif
}

void releaseFreeMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace bd::app
