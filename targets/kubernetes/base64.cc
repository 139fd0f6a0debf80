#include "targets/kubernetes/base64.h"

#include <array>
#include <cstdint>

namespace stampede::kube {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::optional<std::string> decode(std::string_view text, bool url) {
  std::array<int8_t, 256> value;
  value.fill(-1);
  for (int i = 0; i < 64; ++i) value[static_cast<unsigned char>(kStd[i])] = static_cast<int8_t>(i);
  if (url) {
    value['+'] = -1;
    value['/'] = -1;
    value['-'] = 62;
    value['_'] = 63;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  size_t symbols = 0;
  size_t padding = 0;
  for (char ch : text) {
    if (!url && (ch == '\n' || ch == '\r')) continue;
    if (ch == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int8_t v = value[static_cast<unsigned char>(ch)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // A group of four symbols holds three bytes; one lone symbol cannot hold a byte.
  if (symbols % 4 == 1) return std::nullopt;
  if (padding > 0 && (symbols + padding) % 4 != 0) return std::nullopt;
  if (padding > 2) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  return decode(text, false);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  return decode(text, true);
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kStd[(n >> 18) & 63];
    out += kStd[(n >> 12) & 63];
    out += kStd[(n >> 6) & 63];
    out += kStd[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kStd[(n >> 18) & 63];
    out += kStd[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kStd[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace stampede::kube
