#include "engine/metrics/hdr_codec.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <new>

namespace stampede {
namespace {

constexpr int32_t kCookieWordSizeNibble = 0x10;  // what Java, C and JS all write
constexpr size_t kV2HeaderSize = 40;
constexpr size_t kCompressedHeaderSize = 8;
// Bigger than any valid V2 blob (5 significant figures, full int64 range: ~56 MiB), so a
// decompression bomb stops here instead of exhausting memory.
constexpr size_t kMaxInflatedSize = 64u << 20;

int32_t cookie_base(int32_t cookie) {
  return cookie & ~0xf0;
}

void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void put_be64(std::vector<uint8_t>& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void overwrite_be32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

uint64_t get_be(std::span<const uint8_t> bytes, size_t at, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | bytes[at + i];
  return v;
}

// ZigZag, then LEB128 with at most 9 bytes: 8 bytes of 7 bits, a 9th with the last 8 bits.
void put_zigzag(std::vector<uint8_t>& out, int64_t value) {
  uint64_t v = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  for (int i = 0; i < 8; ++i) {
    if ((v >> 7) == 0) {
      out.push_back(static_cast<uint8_t>(v));
      return;
    }
    out.push_back(static_cast<uint8_t>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

// Reads one varint at `pos` (advanced); false if the payload ends inside it.
bool get_zigzag(std::span<const uint8_t> payload, size_t& pos, int64_t& value) {
  uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (pos >= payload.size()) return false;
    const uint8_t b = payload[pos++];
    if (i == 8) {
      v |= static_cast<uint64_t>(b) << 56;
      break;
    }
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) break;
  }
  value = static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  return true;
}

// The 6-bit value of a base64 character, or -1.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string hex_cookie(int32_t cookie) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", static_cast<uint32_t>(cookie));
  return buf;
}

Result<HdrHistogram> decode_uncompressed(std::span<const uint8_t> bytes) {
  if (bytes.size() < kV2HeaderSize) {
    return Error("hdr decode: truncated V2 header (" + std::to_string(bytes.size()) + " of " +
                 std::to_string(kV2HeaderSize) + " bytes)");
  }
  const auto payload_length = static_cast<int32_t>(get_be(bytes, 4, 4));
  // Offset 8 is the normalizing index offset and 32 the integer-to-double ratio: both only
  // matter to DoubleHistogram (hdr-histogram-js even writes 1 into both), so they are ignored.
  const auto figures = static_cast<int32_t>(get_be(bytes, 12, 4));
  const auto lowest = static_cast<int64_t>(get_be(bytes, 16, 8));
  const auto highest = static_cast<int64_t>(get_be(bytes, 24, 8));
  if (payload_length < 0 || static_cast<size_t>(payload_length) > bytes.size() - kV2HeaderSize) {
    return Error("hdr decode: truncated V2 payload (header says " + std::to_string(payload_length) +
                 " bytes, " + std::to_string(bytes.size() - kV2HeaderSize) + " present)");
  }
  Result<HdrHistogram> created = HdrHistogram::create(lowest, highest, figures);
  if (!created.ok()) return created.error().with_context("hdr decode");
  HdrHistogram histogram = std::move(created).value();

  const auto payload = bytes.subspan(kV2HeaderSize, static_cast<size_t>(payload_length));
  SparseCounts counts;
  int64_t index = 0;
  size_t pos = 0;
  while (pos < payload.size()) {
    int64_t value = 0;
    if (!get_zigzag(payload, pos, value)) {
      return Error("hdr decode: truncated varint at payload byte " + std::to_string(pos));
    }
    if (value < 0) {
      if (value == INT64_MIN || -value > histogram.counts_length()) {
        return Error("hdr decode: zero run of " + std::to_string(value) +
                     " exceeds the counts array");
      }
      index += -value;
      continue;
    }
    if (index >= histogram.counts_length()) {
      return Error("hdr decode: counts beyond the histogram's " +
                   std::to_string(histogram.counts_length()) + " buckets");
    }
    if (value > 0) counts.emplace_back(static_cast<int32_t>(index), value);
    ++index;
  }
  if (Status added = histogram.add_sparse(counts); !added.ok()) {
    return added.error().with_context("hdr decode");
  }
  return histogram;
}

Result<std::vector<uint8_t>> inflate_all(std::span<const uint8_t> compressed) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) throw std::bad_alloc();
  stream.next_in = const_cast<Bytef*>(compressed.data());
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::vector<uint8_t> out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() >= kMaxInflatedSize) {
      inflateEnd(&stream);
      return Error("hdr decode: zlib data inflates beyond " + std::to_string(kMaxInflatedSize) +
                   " bytes");
    }
    const size_t used = out.size();
    out.resize(std::min(used + std::max<size_t>(4096, used), kMaxInflatedSize));
    stream.next_out = out.data() + used;
    stream.avail_out = static_cast<uInt>(out.size() - used);
    rc = inflate(&stream, Z_NO_FLUSH);
    out.resize(out.size() - stream.avail_out);
    // Z_BUF_ERROR with output space left means the input ran out before the stream's end.
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) break;
    if (rc == Z_BUF_ERROR) rc = Z_OK;
  }
  const std::string message = stream.msg != nullptr ? stream.msg : "";
  inflateEnd(&stream);
  if (rc == Z_STREAM_END) return out;
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc == Z_BUF_ERROR) return Error("hdr decode: truncated zlib stream");
  return Error("hdr decode: corrupt zlib data" + (message.empty() ? "" : " (" + message + ")"));
}

}  // namespace

std::vector<uint8_t> encode_v2(const HdrHistogram& histogram) {
  std::vector<uint8_t> out;
  out.reserve(kV2HeaderSize + 64);
  put_be32(out, kV2EncodingCookieBase | kCookieWordSizeNibble);
  put_be32(out, 0);  // payload length, filled in below
  put_be32(out, 0);  // normalizing index offset
  put_be32(out, static_cast<uint32_t>(histogram.significant_figures()));
  put_be64(out, static_cast<uint64_t>(histogram.lowest_discernible()));
  put_be64(out, static_cast<uint64_t>(histogram.highest_trackable()));
  put_be64(out, std::bit_cast<uint64_t>(1.0));  // integer-to-double conversion ratio
  const int32_t limit = histogram.empty() ? 0 : histogram.max_touched_index() + 1;
  int32_t index = 0;
  while (index < limit) {
    const int64_t count = histogram.count_at_index(index++);
    if (count != 0) {
      put_zigzag(out, count);
      continue;
    }
    int64_t zeros = 1;
    while (index < limit && histogram.count_at_index(index) == 0) {
      ++zeros;
      ++index;
    }
    put_zigzag(out, zeros > 1 ? -zeros : 0);
  }
  overwrite_be32(out, 4, static_cast<uint32_t>(out.size() - kV2HeaderSize));
  return out;
}

std::vector<uint8_t> encode_v2_compressed(const HdrHistogram& histogram) {
  const std::vector<uint8_t> raw = encode_v2(histogram);
  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<uint8_t> out(kCompressedHeaderSize + compressed_size);
  const int rc = compress2(out.data() + kCompressedHeaderSize, &compressed_size, raw.data(),
                           static_cast<uLong>(raw.size()), Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) throw std::bad_alloc();  // the bound is exact, so only memory can fail
  out.resize(kCompressedHeaderSize + compressed_size);
  overwrite_be32(out, 0, kV2CompressedEncodingCookieBase | kCookieWordSizeNibble);
  overwrite_be32(out, 4, static_cast<uint32_t>(compressed_size));
  return out;
}

Result<HdrHistogram> decode_histogram(std::span<const uint8_t> bytes) {
  if (bytes.size() < 4) {
    return Error("hdr decode: truncated input (" + std::to_string(bytes.size()) + " bytes)");
  }
  const auto cookie = static_cast<int32_t>(get_be(bytes, 0, 4));
  if (cookie_base(cookie) == kV2EncodingCookieBase) return decode_uncompressed(bytes);
  if (cookie_base(cookie) != kV2CompressedEncodingCookieBase) {
    return Error("hdr decode: bad cookie " + hex_cookie(cookie) +
                 " (not a V2 HdrHistogram encoding)");
  }
  if (bytes.size() < kCompressedHeaderSize) {
    return Error("hdr decode: truncated compressed header");
  }
  const auto length = static_cast<int32_t>(get_be(bytes, 4, 4));
  if (length < 0 || static_cast<size_t>(length) > bytes.size() - kCompressedHeaderSize) {
    return Error("hdr decode: truncated compressed payload (header says " + std::to_string(length) +
                 " bytes, " + std::to_string(bytes.size() - kCompressedHeaderSize) + " present)");
  }
  Result<std::vector<uint8_t>> raw =
      inflate_all(bytes.subspan(kCompressedHeaderSize, static_cast<size_t>(length)));
  if (!raw.ok()) return raw.error();
  if (raw.value().size() >= 4) {
    const auto inner = static_cast<int32_t>(get_be(raw.value(), 0, 4));
    if (cookie_base(inner) != kV2EncodingCookieBase) {
      return Error("hdr decode: bad inner cookie " + hex_cookie(inner) +
                   " in compressed histogram");
    }
  }
  return decode_uncompressed(raw.value());
}

std::string base64_encode(std::span<const uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 0x3f]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{bytes[i]} << 16;
    if (rest == 2) v |= uint32_t{bytes[i + 1]} << 8;
    out.push_back(kAlphabet[(v >> 18) & 0x3f]);
    out.push_back(kAlphabet[(v >> 12) & 0x3f]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 0x3f] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::vector<uint8_t>> base64_decode(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  const std::string_view body = text.substr(0, text.size() - padding);
  if (padding > 0 && text.size() % 4 != 0) {
    return Error("base64: padding does not complete a 4-character group");
  }
  if (body.size() % 4 == 1) return Error("base64: dangling character at the end");
  std::vector<uint8_t> out;
  out.reserve(body.size() / 4 * 3 + 2);
  uint32_t bits = 0;
  int bit_count = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    const int v = base64_value(c);
    if (v < 0) {
      return Error("base64: invalid character '" + std::string(1, c) + "' at offset " +
                   std::to_string(i));
    }
    bits = (bits << 6) | static_cast<uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<uint8_t>(bits >> bit_count));
    }
  }
  return out;
}

std::string encode_compressed_base64(const HdrHistogram& histogram) {
  return base64_encode(encode_v2_compressed(histogram));
}

Result<HdrHistogram> decode_base64(std::string_view text) {
  Result<std::vector<uint8_t>> bytes = base64_decode(text);
  if (!bytes.ok()) return bytes.error();
  return decode_histogram(bytes.value());
}

}  // namespace stampede
