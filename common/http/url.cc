#include "common/http/url.h"

namespace stampede::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Params> parse_pairs(std::string_view text, const char* what) {
  Params params;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2", a trailing '&'
    const size_t eq = pair.find('=');
    const std::string_view raw_name = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    auto name = percent_decode(raw_name);
    if (!name.ok())
      return name.error().with_context(std::string(what) + " '" + std::string(pair) + "'");
    auto value = percent_decode(raw_value);
    if (!value.ok()) {
      return value.error().with_context(std::string(what) + " '" + std::string(pair) + "'");
    }
    params.add(std::move(name).value(), std::move(value).value());
  }
  return params;
}

}  // namespace

std::optional<std::string> Params::get(std::string_view name) const {
  for (const auto& [key, value] : entries_) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> Params::get_all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : entries_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

Target split_target(std::string_view target) {
  target = target.substr(0, target.find('#'));
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return Target{target, {}};
  return Target{target.substr(0, question), target.substr(question + 1)};
}

Result<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Error("malformed percent escape '" + std::string(text.substr(i, 3)) +
                     "' at offset " + std::to_string(i));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

Result<Params> parse_query(std::string_view query) {
  return parse_pairs(query, "query parameter");
}

Result<Params> parse_form(std::string_view body) {
  return parse_pairs(body, "form field");
}

}  // namespace stampede::http
