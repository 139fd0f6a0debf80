#include "targets/kubernetes/watch_decoder.h"

namespace stampede::kube {

const char* watch_event_type_name(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded:
      return "ADDED";
    case WatchEventType::kModified:
      return "MODIFIED";
    case WatchEventType::kDeleted:
      return "DELETED";
    case WatchEventType::kBookmark:
      return "BOOKMARK";
    case WatchEventType::kError:
      return "ERROR";
  }
  return "?";
}

Result<RawWatchEvent> parse_watch_event(std::string_view line) {
  nlohmann::json doc = nlohmann::json::parse(line, nullptr, false);
  auto shown = [&] { return std::string(line.substr(0, 120)) + (line.size() > 120 ? "..." : ""); };
  if (doc.is_discarded() || !doc.is_object()) return Error("not a JSON object: " + shown());
  auto type = doc.find("type");
  if (type == doc.end() || !type->is_string()) return Error("no event type: " + shown());
  RawWatchEvent event;
  const std::string& name = type->get_ref<const std::string&>();
  if (name == "ADDED") {
    event.type = WatchEventType::kAdded;
  } else if (name == "MODIFIED") {
    event.type = WatchEventType::kModified;
  } else if (name == "DELETED") {
    event.type = WatchEventType::kDeleted;
  } else if (name == "BOOKMARK") {
    event.type = WatchEventType::kBookmark;
  } else if (name == "ERROR") {
    event.type = WatchEventType::kError;
  } else {
    return Error("unknown event type \"" + name + "\"");
  }
  auto object = doc.find("object");
  if (object == doc.end() || !object->is_object()) return Error(name + " event without an object");
  event.object = std::move(*object);
  return event;
}

}  // namespace stampede::kube
