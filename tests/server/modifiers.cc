#include "tests/server/modifiers.h"

#include <charconv>
#include <cstdint>

namespace stampede::testserver {
namespace {

// Parses a whole string of decimal digits; rejects signs, spaces and trailing junk.
std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::string parse_stall(std::string_view text, Modifiers& out) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return "stall must be EVERY_MS:FOR_MS";
  const auto every = parse_uint(text.substr(0, colon));
  const auto length = parse_uint(text.substr(colon + 1));
  if (!every || !length) return "stall must be EVERY_MS:FOR_MS";
  if (*every == 0 || *every > static_cast<std::uint64_t>(kMaxWait.count())) {
    return "stall EVERY_MS out of range";
  }
  if (*length > *every) return "stall FOR_MS must not exceed EVERY_MS";
  out.stall = StallSpec{std::chrono::milliseconds(*every), std::chrono::milliseconds(*length)};
  return {};
}

}  // namespace

ModifiersResult parse_modifiers(const QueryParams& params) {
  ModifiersResult result;
  Modifiers& out = result.modifiers;
  for (const auto& [name, value] : params) {
    if (name == "stall") {
      result.error = parse_stall(value, out);
    } else if (name == "delay_ms") {
      const auto ms = parse_uint(value);
      if (!ms || *ms > static_cast<std::uint64_t>(kMaxWait.count())) {
        result.error = "delay_ms out of range";
      } else {
        out.delay = std::chrono::milliseconds(*ms);
      }
    } else if (name == "status") {
      const auto status = parse_uint(value);
      // 1xx would be read as an interim response; Beast refuses codes above 999.
      if (!status || *status < 200 || *status > 999) {
        result.error = "status must be 200..999";
      } else {
        out.status = static_cast<unsigned>(*status);
      }
    } else if (name == "bytes") {
      const auto bytes = parse_uint(value);
      if (!bytes || *bytes > kMaxGeneratedBodyBytes) {
        result.error = "bytes must be 0..67108864";
      } else {
        out.bytes = static_cast<std::size_t>(*bytes);
      }
    }
    if (!result.ok()) break;
  }
  return result;
}

bool is_modifier_name(std::string_view name) {
  return name == "stall" || name == "delay_ms" || name == "status" || name == "bytes";
}

}  // namespace stampede::testserver
