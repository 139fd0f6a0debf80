// Termination signals delivered to one waiting thread instead of interrupting arbitrary ones.
#pragma once

namespace shop {

// Blocks SIGTERM and SIGINT in the calling thread; threads created afterwards inherit the mask.
// Call first thing in main(), before any thread (gRPC's included) starts.
void block_termination_signals();
// Waits for SIGTERM or SIGINT; returns the signal number.
int wait_for_termination_signal();

}  // namespace shop
