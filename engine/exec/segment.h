// Splitting a scenario's work between W workers (threads, or later instances) so that the shares
// add up exactly: k6's "execution segments", for W equal segments 0:1/W, 1/W:2/W, ..., (W-1)/W:1.
//
// Global items (arrival k, VU number v, shared iteration i) are striped: worker i owns the
// items with k mod W == i, so each worker's arrivals are evenly spread over time instead of
// bunched. This is exactly what k6's striping algorithm produces for equal segments (lib/
// execution_segment.go, NewExecutionSegmentSequenceWrapper: with every segment 1/W, element j of
// each LCD-sized block of W goes to segment j), and k6 scales integers the same way
// (ExecutionSegmentSequenceWrapper.ScaleInt64 counts the striped indexes below the value). So
// with N = q·W + r, workers 0 … r-1 get q+1 items and the others q:
//   segment_share(N, i, W)  = #{k < N : k mod W == i} = q + (i < r ? 1 : 0)
//   segment_offset(N, i, W) = sum of the shares of workers 0 … i-1 = i·q + min(i, r)
// The shares of a prefix agree with ownership: a worker's arrivals before time t are
// segment_share(schedule.count_until(t), i, W). This equal split is used for the worker threads
// of one process; k6's unequal segments between processes (--execution-segment, e.g. 0:1/2,
// 1/2:3/4, 3/4:1) are in execution_tuple.h, and scenario_slice.h composes the two.
//
// Requirements for every function: count >= 1 and 0 <= index < count; otherwise the result is 0
// (and segment_owns is false). Negative totals count as 0. Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace stampede {

// How many of `total` items worker `index` of `count` owns (see above); shares sum to total.
int64_t segment_share(int64_t total, int index, int count);

// The first index of worker `index`'s share when the shares are laid end to end in worker order,
// e.g. for numbering VUs: worker i's VUs are offset+1 … offset+share. Equals the sum of the
// shares of the workers before it.
int64_t segment_offset(int64_t total, int index, int count);

// Whether global item k (k >= 0) belongs to worker `index` of `count`: k mod count == index.
bool segment_owns(int64_t k, int index, int count);

// The global index of worker `index`'s j-th own item (j >= 0): j·count + index.
int64_t segment_global_index(int64_t j, int index, int count);

}  // namespace stampede
