#include "targets/local/api/kube/kube_update_plan.h"

#include <algorithm>
#include <set>

namespace stampede::local::kube {

using nlohmann::json;
using stampede::kube::ApiStatus;
using stampede::kube::StatusCause;

namespace {

bool absent(const json* v) {
  return v == nullptr || v->is_null() || ((v->is_object() || v->is_array()) && v->empty());
}

// Whether `v` counts as absent once its nulls and empty members are dropped.
bool hollow(const json* v) {
  if (absent(v)) return true;
  if (v->is_object()) {
    for (const auto& [k, member] : v->items()) {
      if (!hollow(&member)) return false;
    }
    return true;
  }
  return false;
}

std::string walk(const json* a, const json* b, const std::string& path,
                 const std::vector<std::string>& ignored) {
  if (std::find(ignored.begin(), ignored.end(), path) != ignored.end()) return "";
  bool a_gone = hollow(a), b_gone = hollow(b);
  if (a_gone && b_gone) return "";
  if (a_gone != b_gone) return path;
  if (a->is_object() && b->is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : a->items()) keys.insert(k);
    for (const auto& [k, v] : b->items()) keys.insert(k);
    for (const std::string& k : keys) {
      const json* x = a->contains(k) ? &(*a)[k] : nullptr;
      const json* y = b->contains(k) ? &(*b)[k] : nullptr;
      std::string d = walk(x, y, path.empty() ? k : path + "." + k, ignored);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a->is_array() && b->is_array()) {
    size_t n = std::max(a->size(), b->size());
    for (size_t i = 0; i < n; ++i) {
      const json* x = i < a->size() ? &(*a)[i] : nullptr;
      const json* y = i < b->size() ? &(*b)[i] : nullptr;
      std::string d = walk(x, y, path + "[" + std::to_string(i) + "]", ignored);
      if (!d.empty()) return d;
    }
    return "";
  }
  return *a == *b ? "" : path;
}

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_float:
      return "number";
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::null:
      return "null";
    default:
      return "integer";
  }
}

// A 422 Invalid Status as the API server words it: `Kind.group "name" is invalid: field: body`.
ApiStatus invalid(const std::string& kind, const std::string& group, const std::string& name,
                  const std::string& field, const std::string& reason, const std::string& body) {
  ApiStatus s;
  s.code = 422;
  s.reason = "Invalid";
  s.message = kind + "." + group + " \"" + name + "\" is invalid: " + field + ": " + body;
  s.name = name;
  s.group = group;
  s.kind = kind;
  s.causes.push_back(StatusCause{reason, body, field});
  return s;
}

const json& at(const json& object, std::initializer_list<const char*> path) {
  static const json kNull;
  const json* j = &object;
  for (const char* key : path) {
    if (!j->is_object() || !j->contains(key)) return kNull;
    j = &(*j)[key];
  }
  return *j;
}

// Checks spec.replicas of `desired` (absent means 1, Kubernetes' default). Sets plan.replicas
// when it differs from `current_replicas`.
void check_replicas(const json& desired, int current_replicas, const std::string& kind,
                    const std::string& group, const std::string& name, UpdatePlan& plan) {
  const json& r = at(desired, {"spec", "replicas"});
  int replicas = 1;
  if (!r.is_null()) {
    if (!r.is_number_integer()) {
      plan.error =
          invalid(kind, group, name, "spec.replicas", "FieldValueTypeInvalid",
                  "Invalid value: " + r.dump() +
                      ": spec.replicas in body must be of type integer: \"" + type_name(r) + "\"");
      return;
    }
    int64_t v = r.get<int64_t>();
    if (v < 0) {
      plan.error = invalid(kind, group, name, "spec.replicas", "FieldValueInvalid",
                           "Invalid value: " + r.dump() + ": must be greater than or equal to 0");
      return;
    }
    if (v > kMaxReplicas) {
      plan.error = invalid(kind, group, name, "spec.replicas", "FieldValueInvalid",
                           "Invalid value: " + r.dump() + ": must be less than or equal to " +
                               std::to_string(kMaxReplicas) + " (the local runtime's limit)");
      return;
    }
    replicas = static_cast<int>(v);
  }
  if (replicas != current_replicas) plan.replicas = replicas;
}

// Name and resourceVersion of `desired` against `current`: 400 and 409.
bool check_identity(const json& current, const json& desired, const std::string& resource,
                    UpdatePlan& plan) {
  const std::string name = at(current, {"metadata", "name"}).get<std::string>();
  const json& desired_name = at(desired, {"metadata", "name"});
  if (!desired_name.is_null() && desired_name != name) {
    plan.error.code = 400;
    plan.error.reason = "BadRequest";
    plan.error.message =
        "the name of the object (" +
        (desired_name.is_string() ? desired_name.get<std::string>() : desired_name.dump()) +
        ") does not match the name on the URL (" + name + ")";
    return false;
  }
  const json& rv = at(desired, {"metadata", "resourceVersion"});
  if (!rv.is_null() && rv != at(current, {"metadata", "resourceVersion"})) {
    plan.error.code = 409;
    plan.error.reason = "Conflict";
    plan.error.message = "Operation cannot be fulfilled on " + resource + " \"" + name +
                         "\": the object has been modified; please apply your changes to the "
                         "latest version and try again";
    plan.error.name = name;
    plan.error.kind = resource.substr(0, resource.find('.'));
    plan.error.group =
        resource.find('.') == std::string::npos ? "" : resource.substr(resource.find('.') + 1);
    return false;
  }
  return true;
}

}  // namespace

std::string first_difference(const json& a, const json& b,
                             const std::vector<std::string>& ignored) {
  return walk(&a, &b, "", ignored);
}

UpdatePlan plan_deployment_update(const json& current, const json& desired) {
  UpdatePlan plan;
  if (!desired.is_object()) {
    plan.error.code = 400;
    plan.error.reason = "BadRequest";
    plan.error.message = "the body must be a Deployment object";
    return plan;
  }
  if (!check_identity(current, desired, "deployments.apps", plan)) return plan;
  const std::string name = at(current, {"metadata", "name"}).get<std::string>();
  check_replicas(desired, at(current, {"spec", "replicas"}).get<int>(), "Deployment", "apps", name,
                 plan);
  if (!plan.ok()) return plan;
  const json& annotations = at(desired, {"spec", "template", "metadata", "annotations"});
  std::map<std::string, std::string> wanted;
  if (!annotations.is_null()) {
    if (!annotations.is_object()) {
      plan.error = invalid("Deployment", "apps", name, "spec.template.metadata.annotations",
                           "FieldValueTypeInvalid",
                           "Invalid value: " + annotations.dump() +
                               ": spec.template.metadata.annotations in body must be of type "
                               "object: \"" +
                               type_name(annotations) + "\"");
      return plan;
    }
    for (const auto& [k, v] : annotations.items()) {
      if (!v.is_string()) {
        std::string field = "spec.template.metadata.annotations." + k;
        plan.error = invalid("Deployment", "apps", name, field, "FieldValueTypeInvalid",
                             "Invalid value: " + v.dump() + ": " + field +
                                 " in body must be of type string: \"" + type_name(v) + "\"");
        return plan;
      }
      wanted[k] = v.get<std::string>();
    }
  }
  std::map<std::string, std::string> now;
  const json& current_annotations = at(current, {"spec", "template", "metadata", "annotations"});
  if (current_annotations.is_object()) {
    for (const auto& [k, v] : current_annotations.items()) now[k] = v.get<std::string>();
  }
  if (wanted != now) plan.template_annotations = wanted;
  // Everything else must stay as the values made it. Server-set fields and the status are not
  // the client's to change (the API server ignores them on a deployment too).
  static const std::vector<std::string> kIgnored = {"metadata.resourceVersion",
                                                    "metadata.generation",
                                                    "metadata.creationTimestamp",
                                                    "metadata.uid",
                                                    "metadata.managedFields",
                                                    "metadata.selfLink",
                                                    "status",
                                                    "spec.replicas",
                                                    "spec.template.metadata.annotations",
                                                    "kind",
                                                    "apiVersion"};
  std::string field = first_difference(current, desired, kIgnored);
  if (!field.empty()) {
    plan.error = invalid("Deployment", "apps", name, field, "FieldValueForbidden",
                         "Forbidden: the local runtime runs the chart's values and can change "
                         "only spec.replicas and spec.template.metadata.annotations; change "
                         "services." +
                             name +
                             " in the values (--values or --set) and restart "
                             "`stampede up`");
  }
  return plan;
}

UpdatePlan plan_scale_update(const json& current, const json& desired) {
  UpdatePlan plan;
  if (!desired.is_object()) {
    plan.error.code = 400;
    plan.error.reason = "BadRequest";
    plan.error.message = "the body must be a Scale object";
    return plan;
  }
  if (!check_identity(current, desired, "deployments.apps", plan)) return plan;
  const std::string name = at(current, {"metadata", "name"}).get<std::string>();
  check_replicas(desired, at(current, {"spec", "replicas"}).get<int>(), "Scale", "autoscaling",
                 name, plan);
  return plan;
}

}  // namespace stampede::local::kube
