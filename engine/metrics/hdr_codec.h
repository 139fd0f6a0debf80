// The V2 wire format of HdrHistogram, as written and read by HdrHistogram (Java, C, JS).
//
// Uncompressed V2, all integers big-endian:
//   int32 cookie (0x1c849303 | 0x10: the word-size nibble every implementation writes)
//   int32 payload length · int32 normalizing index offset (0) · int32 significant figures
//   int64 lowest discernible · int64 highest trackable · double integer-to-double ratio (1.0)
//   payload: counts from index 0 to the highest non-empty one, each a ZigZag LEB128-64b9B
//   varint; a run of N > 1 empty buckets is written as -N.
// Compressed V2: int32 cookie (0x1c849304 | 0x10) · int32 length · zlib deflate of the above.
// The .hlog format stores compressed V2 in base64. Free functions, stateless, thread-safe.
// The saturated count is not part of the format: a decoded histogram has saturated_count() 0.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/metrics/hdr_histogram.h"

namespace stampede {

inline constexpr int32_t kV2EncodingCookieBase = 0x1c849303;
inline constexpr int32_t kV2CompressedEncodingCookieBase = 0x1c849304;

// Encodes `histogram` in uncompressed V2. Never fails.
std::vector<uint8_t> encode_v2(const HdrHistogram& histogram);
// Encodes `histogram` in compressed V2 (zlib); throws std::bad_alloc if zlib runs out of memory.
std::vector<uint8_t> encode_v2_compressed(const HdrHistogram& histogram);
// Decodes uncompressed or compressed V2 (told apart by the cookie); error on a bad cookie,
// truncated input, corrupt zlib data, an invalid configuration or counts out of range.
Result<HdrHistogram> decode_histogram(std::span<const uint8_t> bytes);

// Standard base64 (RFC 4648 alphabet) with '=' padding. Never fails.
std::string base64_encode(std::span<const uint8_t> bytes);
// Decodes base64, padding optional, surrounding whitespace ignored; error on any other
// character outside the alphabet or a dangling single character.
Result<std::vector<uint8_t>> base64_decode(std::string_view text);

// base64 of encode_v2_compressed(): the histogram field of an .hlog line.
std::string encode_compressed_base64(const HdrHistogram& histogram);
// Decodes base64 then V2 (either form); the errors of base64_decode and decode_histogram.
Result<HdrHistogram> decode_base64(std::string_view text);

}  // namespace stampede
