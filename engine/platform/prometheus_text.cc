#include "engine/platform/prometheus_text.h"

#include <cmath>
#include <cstdlib>

namespace stampede {
namespace {

bool name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Parses one sample line; false on malformed input.
bool parse_line(std::string_view line, PromSample& out) {
  size_t i = 0;
  while (i < line.size() && name_char(line[i], i == 0)) ++i;
  if (i == 0) return false;
  out.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (true) {
      while (i < line.size() && (line[i] == ' ' || line[i] == ',')) ++i;
      if (i < line.size() && line[i] == '}') {
        ++i;
        break;
      }
      size_t start = i;
      while (i < line.size() && name_char(line[i], i == start)) ++i;
      if (i == start || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') return false;
      std::string key(line.substr(start, i - start));
      i += 2;
      std::string value;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          value += line[i] == 'n' ? '\n' : line[i];
        } else {
          value += line[i];
        }
        ++i;
      }
      if (i >= line.size()) return false;
      ++i;  // closing quote
      out.labels[key] = std::move(value);
    }
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  size_t end = i;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  std::string number(line.substr(i, end - i));
  if (number.empty()) return false;
  if (number == "+Inf") {
    out.value = HUGE_VAL;
  } else if (number == "-Inf") {
    out.value = -HUGE_VAL;
  } else if (number == "NaN") {
    out.value = NAN;
  } else {
    char* stop = nullptr;
    out.value = std::strtod(number.c_str(), &stop);
    if (stop == nullptr || *stop != '\0') return false;
  }
  return true;
}

}  // namespace

const std::string& PromSample::label(const std::string& key) const {
  static const std::string kNone;
  auto it = labels.find(key);
  return it == labels.end() ? kNone : it->second;
}

Result<std::vector<PromSample>> parse_prometheus_text(std::string_view text) {
  std::vector<PromSample> samples;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    PromSample s;
    if (!parse_line(line, s)) {
      return Error("metrics line " + std::to_string(line_no) + ": malformed sample '" +
                   std::string(line.substr(0, 80)) + "'");
    }
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace stampede
