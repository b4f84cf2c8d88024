#pragma once

namespace bd::app {

// The C allocator set for a console that takes floods (events, scans) and then sits for hours:
// memory a flood took goes back to the system once it is freed. With glibc's defaults the
// thresholds for that grow with the largest blocks a program frees (up to 64 MB per thread's
// arena), and the arenas of worker threads keep the top of what they grew to; fixed thresholds
// (blocks from 1 MB get mappings of their own, an arena keeps at most 2 MB of free top) make
// the memory of a 200,000-event flood go back. Call first in main(). Does nothing elsewhere.
void configureAllocator();

// Hands back to the system the free memory inside the allocator's arenas (glibc's
// malloc_trim): after a flood, once it is over. Does nothing elsewhere.
void releaseFreeMemory();

} // namespace bd::app
