// Which objects a list or a watch returns: the namespace of the request ("" for all), the label
// selector (Kubernetes' full syntax) and the field selector (metadata.name, metadata.namespace
// and the fields the resource supports: status.phase, spec.nodeName, involvedObject.name, ...).
// Plain value; thread-safe to use from any thread once built.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "targets/kubernetes/label_selector.h"
#include "targets/local/api/kube/kube_resources.h"
#include "targets/local/api/kube/kube_store.h"

namespace stampede::local::kube {

// A built filter; a plain value, read-only once made (any thread).
struct ObjectFilter {
  std::string namespace_;  // "" matches every namespace
  stampede::kube::LabelSelector labels;
  stampede::kube::FieldSelector fields;

  bool matches(const nlohmann::json& object) const;
  // The same decision on an object's watch form.
  bool matches(const ObjectForm& form) const;
};

// The value of a field selector field in `object` ("status.phase" -> "Running"); "" when absent.
// "source" of an Event is its source.component.
std::string field_value(const nlohmann::json& object, const std::string& field);

// Builds the filter of a request. Errors are the API server's 400 messages: the label
// selector's parse error, "field label not supported: x", or the field selector's error.
Result<ObjectFilter> make_filter(const ResourceInfo& resource, const std::string& namespace_,
                                 const std::string& label_selector,
                                 const std::string& field_selector);

}  // namespace stampede::local::kube
