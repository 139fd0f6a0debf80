// Decoding a watch response body: newline-delimited JSON events
// ({"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}), arriving in chunks that may
// split a line or hold several. WatchLineBuffer reassembles lines; parse_watch_event reads one.
// Plain values, one owner thread.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stampede::kube {

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

// "ADDED", "MODIFIED", ...
const char* watch_event_type_name(WatchEventType type);

struct RawWatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  nlohmann::json object;
};

// Parses one line. Errors: not JSON, no known type, no object.
Result<RawWatchEvent> parse_watch_event(std::string_view line);

class WatchLineBuffer {
 public:
  // Adds `bytes`; calls fn(line) for every line it completes (without the '\n' or a '\r').
  // Blank lines are skipped.
  template <typename Fn>
  void feed(std::string_view bytes, Fn&& fn) {
    size_t start = 0;
    while (start < bytes.size()) {
      size_t eol = bytes.find('\n', start);
      if (eol == std::string_view::npos) {
        partial_.append(bytes.substr(start));
        return;
      }
      std::string_view piece = bytes.substr(start, eol - start);
      start = eol + 1;
      if (partial_.empty()) {
        emit(piece, fn);
      } else {
        partial_.append(piece);
        std::string line = std::move(partial_);
        partial_.clear();
        emit(line, fn);
      }
    }
  }
  // Bytes of an unfinished line.
  size_t partial_size() const { return partial_.size(); }
  void clear() { partial_.clear(); }

 private:
  template <typename Fn>
  static void emit(std::string_view line, Fn& fn) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;
    fn(line);
  }
  std::string partial_;
};

}  // namespace stampede::kube
