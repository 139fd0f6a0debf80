#include "targets/local/api/kube/kube_filter.h"

namespace stampede::local::kube {

using nlohmann::json;

std::string field_value(const json& object, const std::string& field) {
  std::string path = field == "source" ? "source.component" : field;
  const json* at = &object;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    if (dot == std::string::npos) dot = path.size();
    if (!at->is_object()) return "";
    auto it = at->find(path.substr(pos, dot - pos));
    if (it == at->end()) return field == "spec.hostNetwork" ? "false" : "";
    at = &*it;
    pos = dot + 1;
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_boolean()) return at->get<bool>() ? "true" : "false";
  if (at->is_number()) return at->dump();
  return "";
}

bool ObjectFilter::matches(const json& object) const {
  const json& meta = object.contains("metadata") ? object["metadata"] : json::object();
  if (!namespace_.empty() && meta.value("namespace", "") != namespace_) return false;
  if (!labels.empty()) {
    std::map<std::string, std::string> l;
    if (meta.contains("labels") && meta["labels"].is_object()) {
      for (const auto& [k, v] : meta["labels"].items()) {
        if (v.is_string()) l[k] = v.get<std::string>();
      }
    }
    if (!labels.matches(l)) return false;
  }
  return fields.matches([&](const std::string& field) { return field_value(object, field); });
}

bool ObjectFilter::matches(const ObjectForm& form) const {
  if (!namespace_.empty() && form.namespace_ != namespace_) return false;
  if (!labels.empty() && !labels.matches(form.labels)) return false;
  return fields.matches([&](const std::string& field) {
    auto it = form.fields.find(field);
    if (it != form.fields.end()) return it->second;
    return field == "spec.hostNetwork" ? std::string("false") : std::string();
  });
}

Result<ObjectFilter> make_filter(const ResourceInfo& resource, const std::string& namespace_,
                                 const std::string& label_selector,
                                 const std::string& field_selector) {
  ObjectFilter f;
  f.namespace_ = namespace_;
  auto labels = stampede::kube::LabelSelector::parse(label_selector);
  if (!labels.ok()) return labels.error();
  f.labels = std::move(labels).value();
  auto fields = stampede::kube::FieldSelector::parse(field_selector);
  if (!fields.ok()) return fields.error();
  for (const auto& term : fields.value().terms()) {
    if (!supports_field(resource, term.field)) {
      return Error("field label not supported: " + term.field);
    }
  }
  f.fields = std::move(fields).value();
  return f;
}

}  // namespace stampede::local::kube
