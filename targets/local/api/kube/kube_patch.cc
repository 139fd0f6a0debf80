#include "targets/local/api/kube/kube_patch.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "targets/kubernetes/kube_json.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

constexpr const char* kPatchDirective = "$patch";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
constexpr int kMaxPatchDepth = 100;

// The deepest nesting of [ and { in JSON text, brackets inside strings not counted.
int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// The merge key of a list field, as Kubernetes' types declare it (patchMergeKey); "" for lists
// that are replaced whole.
std::string merge_key_of(const std::string& field) {
  static const std::map<std::string, std::string> kKeys = {
      {"containers", "name"},          {"initContainers", "name"},
      {"ephemeralContainers", "name"}, {"volumes", "name"},
      {"ports", "containerPort"},      {"env", "name"},
      {"volumeMounts", "mountPath"},   {"volumeDevices", "devicePath"},
      {"imagePullSecrets", "name"},    {"readinessGates", "conditionType"},
      {"conditions", "type"},
  };
  auto it = kKeys.find(field);
  return it == kKeys.end() ? "" : it->second;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_directive(const std::string& key) {
  return key == kPatchDirective || key == "$retainKeys" || starts_with(key, "$setElementOrder/") ||
         starts_with(key, kDeleteFromPrimitiveList);
}

// The patch without its directives, for values that are taken as they are.
json without_directives(const json& value) {
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) {
      if (!is_directive(k)) out[k] = without_directives(v);
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const json& v : value) {
      if (v.is_object() && stampede::kube_json::str(v, kPatchDirective) == "replace" &&
          v.size() == 1)
        continue;
      out.push_back(without_directives(v));
    }
    return out;
  }
  return value;
}

std::optional<json> merge_map(const json& original, const json& patch);

json merge_list(const json& original, const json& patch, const std::string& key) {
  for (const json& element : patch) {
    if (element.is_object() && stampede::kube_json::str(element, kPatchDirective) == "replace") {
      return without_directives(patch);
    }
  }
  json out = original.is_array() ? original : json::array();
  for (const json& element : patch) {
    if (!element.is_object() || !element.contains(key)) {
      out.push_back(without_directives(element));
      continue;
    }
    const json& id = element[key];
    auto same = [&](const json& e) { return e.is_object() && e.contains(key) && e[key] == id; };
    if (stampede::kube_json::str(element, kPatchDirective) == "delete") {
      out.erase(std::remove_if(out.begin(), out.end(), same), out.end());
      continue;
    }
    auto it = std::find_if(out.begin(), out.end(), same);
    if (it != out.end()) {
      std::optional<json> merged = merge_map(*it, element);
      if (merged) {
        *it = std::move(*merged);
      } else {
        out.erase(it);
      }
    } else {
      out.push_back(without_directives(element));
    }
  }
  return out;
}

// nullopt: the map is deleted (`$patch: delete`).
std::optional<json> merge_map(const json& original, const json& patch) {
  std::string directive = stampede::kube_json::str(patch, kPatchDirective);
  if (directive == "delete") return std::nullopt;
  if (directive == "replace") return without_directives(patch);
  json out = original.is_object() ? original : json::object();
  for (const auto& [key, value] : patch.items()) {
    if (starts_with(key, kDeleteFromPrimitiveList) && value.is_array()) {
      std::string field = key.substr(kDeleteFromPrimitiveList.size());
      if (out.contains(field) && out[field].is_array()) {
        json kept = json::array();
        for (const json& v : out[field]) {
          if (std::find(value.begin(), value.end(), v) == value.end()) kept.push_back(v);
        }
        out[field] = kept;
      }
      continue;
    }
    if (is_directive(key)) continue;
    if (value.is_null()) {
      out.erase(key);
    } else if (value.is_object()) {
      std::optional<json> merged = merge_map(out.contains(key) ? out[key] : json(), value);
      if (merged) {
        out[key] = std::move(*merged);
      } else {
        out.erase(key);
      }
    } else if (value.is_array() && !merge_key_of(key).empty()) {
      out[key] = merge_list(out.contains(key) ? out[key] : json(), value, merge_key_of(key));
    } else {
      out[key] = without_directives(value);
    }
  }
  return out;
}

std::string media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  std::string out(t);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<PatchType> patch_type_for(std::string_view content_type) {
  std::string type = media_type(content_type);
  if (type == "application/merge-patch+json") return PatchType::kMerge;
  if (type == "application/json-patch+json") return PatchType::kJson;
  if (type == "application/strategic-merge-patch+json") return PatchType::kStrategic;
  return std::nullopt;
}

json strategic_merge(const json& original, const json& patch) {
  if (!patch.is_object()) return patch;
  std::optional<json> merged = merge_map(original, patch);
  return merged ? *merged : json::object();
}

PatchOutcome apply_patch(const json& original, PatchType type, std::string_view body) {
  PatchOutcome out;
  // The merges recurse once per level: refuse absurd nesting before parsing, by counting
  // brackets outside strings (no Kubernetes object nests anywhere near this deep).
  if (nesting_depth(body) > kMaxPatchDepth) {
    out.code = 400;
    out.error =
        "error decoding patch: it nests deeper than " + std::to_string(kMaxPatchDepth) + " levels";
    return out;
  }
  json patch = json::parse(body, nullptr, false);
  if (patch.is_discarded()) {
    out.code = 400;
    out.error = "error decoding patch: the body is not JSON";
    return out;
  }
  switch (type) {
    case PatchType::kMerge:
      if (!patch.is_object()) {
        out.code = 400;
        out.error = "error decoding patch: a merge patch must be a JSON object";
        return out;
      }
      out.document = original;
      out.document.merge_patch(patch);
      return out;
    case PatchType::kStrategic:
      if (!patch.is_object()) {
        out.code = 400;
        out.error = "error decoding patch: a strategic merge patch must be a JSON object";
        return out;
      }
      out.document = strategic_merge(original, patch);
      return out;
    case PatchType::kJson:
      if (!patch.is_array()) {
        out.code = 400;
        out.error = "error decoding patch: a JSON patch must be a JSON array of operations";
        return out;
      }
      try {
        out.document = original.patch(patch);
      } catch (const json::exception& e) {
        // A malformed operation is the client's mistake (400); one that does not apply to this
        // object (a missing path, a failed test) cannot be processed (422), as the API server says.
        bool malformed = e.id == 104 || e.id == 105;
        out.code = malformed ? 400 : 422;
        std::string what = e.what();
        size_t bracket = what.find("] ");
        out.error = (malformed ? "error decoding patch: " : "the patch cannot be applied: ") +
                    (bracket == std::string::npos ? what : what.substr(bracket + 2));
      }
      return out;
  }
  return out;
}

}  // namespace stampede::local::kube
