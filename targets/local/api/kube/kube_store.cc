#include "targets/local/api/kube/kube_store.h"

#include <algorithm>
#include <set>

#include "targets/local/api/kube/kube_filter.h"
#include "targets/local/api/kube/kube_resources.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

std::string name_of(const json& object) {
  auto m = object.find("metadata");
  if (m == object.end() || !m->is_object()) return "";
  auto n = m->find("name");
  return n != m->end() && n->is_string() ? n->get<std::string>() : "";
}

// True when `fresh` (as rendered, without a resourceVersion) equals `stored` apart from it.
// `fresh` is given the stored resourceVersion for the comparison.
bool same_as_stored(json& fresh, const json& stored) {
  fresh["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"];
  return fresh == stored;
}

}  // namespace

FormPtr make_form(const json& object) {
  auto form = std::make_shared<ObjectForm>();
  form->text = object.dump(-1, ' ', false, json::error_handler_t::replace);
  const json& meta = object.contains("metadata") ? object["metadata"] : json::object();
  form->namespace_ = meta.value("namespace", "");
  if (meta.contains("labels") && meta["labels"].is_object()) {
    for (const auto& [k, v] : meta["labels"].items()) {
      if (v.is_string()) form->labels[k] = v.get<std::string>();
    }
  }
  for (const std::string& field : selectable_fields()) {
    std::string value = field_value(object, field);
    if (!value.empty()) form->fields[field] = std::move(value);
  }
  return form;
}

const char* change_type_name(ChangeType type) {
  switch (type) {
    case ChangeType::kAdded:
      return "ADDED";
    case ChangeType::kModified:
      return "MODIFIED";
    case ChangeType::kDeleted:
      return "DELETED";
  }
  return "?";
}

void ObjectStore::record(const std::string& resource, ChangeType type, json object,
                         const Stored* previous) {
  ++rv_;
  object["metadata"]["resourceVersion"] = std::to_string(rv_);
  std::string name = name_of(object);
  Stored stored{std::make_shared<const json>(std::move(object)), nullptr};
  stored.form = make_form(*stored.object);
  FormPtr before = previous != nullptr ? previous->form : nullptr;
  if (type == ChangeType::kDeleted) {
    objects_[resource].erase(name);
  } else {
    objects_[resource][name] = stored;
  }
  history_.push_back({rv_, type, resource, stored.form, std::move(before)});
  while (history_.size() > history_limit_) {
    compacted_ = history_.front().rv;
    history_.pop_front();
  }
}

void ObjectStore::notify() {
  std::function<void()> fn;
  {
    std::lock_guard lock(mu_);
    fn = on_change_;
  }
  if (fn) fn();
}

size_t ObjectStore::replace(const std::string& resource, std::vector<json> objects) {
  size_t changes = 0;
  {
    std::lock_guard lock(mu_);
    std::map<std::string, Stored>& current = objects_[resource];
    std::set<std::string> seen;
    for (json& object : objects) {
      std::string name = name_of(object);
      if (name.empty() || !seen.insert(name).second) continue;
      auto it = current.find(name);
      if (it == current.end()) {
        record(resource, ChangeType::kAdded, std::move(object), nullptr);
      } else if (!same_as_stored(object, *it->second.object)) {
        Stored before = it->second;
        record(resource, ChangeType::kModified, std::move(object), &before);
      } else {
        continue;
      }
      ++changes;
    }
    std::vector<Stored> gone;
    for (const auto& [name, stored] : current) {
      if (seen.count(name) == 0) gone.push_back(stored);
    }
    for (const Stored& stored : gone) {
      record(resource, ChangeType::kDeleted, *stored.object, &stored);
      ++changes;
    }
  }
  if (changes > 0) notify();
  return changes;
}

bool ObjectStore::put(const std::string& resource, json object) {
  std::string name = name_of(object);
  if (name.empty()) return false;
  {
    std::lock_guard lock(mu_);
    std::map<std::string, Stored>& current = objects_[resource];
    auto it = current.find(name);
    if (it == current.end()) {
      record(resource, ChangeType::kAdded, std::move(object), nullptr);
    } else if (!same_as_stored(object, *it->second.object)) {
      Stored before = it->second;
      record(resource, ChangeType::kModified, std::move(object), &before);
    } else {
      return false;
    }
  }
  notify();
  return true;
}

bool ObjectStore::erase(const std::string& resource, const std::string& name) {
  {
    std::lock_guard lock(mu_);
    auto r = objects_.find(resource);
    if (r == objects_.end()) return false;
    auto it = r->second.find(name);
    if (it == r->second.end()) return false;
    Stored last = it->second;
    record(resource, ChangeType::kDeleted, *last.object, &last);
  }
  notify();
  return true;
}

void ObjectStore::set_unversioned(const std::string& resource, std::vector<json> objects) {
  std::map<std::string, Stored> fresh;
  for (json& object : objects) {
    std::string name = name_of(object);
    if (!name.empty())
      fresh[name] = Stored{std::make_shared<const json>(std::move(object)), nullptr};
  }
  std::lock_guard lock(mu_);
  objects_[resource] = std::move(fresh);
}

Listing ObjectStore::list(const std::string& resource) const {
  Listing out;
  std::lock_guard lock(mu_);
  out.rv = rv_;
  auto r = objects_.find(resource);
  if (r == objects_.end()) return out;
  out.items.reserve(r->second.size());
  for (const auto& [name, stored] : r->second) out.items.push_back(stored.object);
  return out;
}

FormListing ObjectStore::list_forms(const std::string& resource) const {
  FormListing out;
  std::lock_guard lock(mu_);
  out.rv = rv_;
  auto r = objects_.find(resource);
  if (r == objects_.end()) return out;
  for (const auto& [name, stored] : r->second) {
    if (stored.form) out.items.push_back(stored.form);
  }
  return out;
}

ObjectPtr ObjectStore::get(const std::string& resource, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto r = objects_.find(resource);
  if (r == objects_.end()) return nullptr;
  auto it = r->second.find(name);
  return it == r->second.end() ? nullptr : it->second.object;
}

uint64_t ObjectStore::resource_version() const {
  std::lock_guard lock(mu_);
  return rv_;
}

Result<std::vector<Change>> ObjectStore::changes_after(uint64_t rv, size_t limit) const {
  std::lock_guard lock(mu_);
  if (rv < compacted_) {
    return Error("too old resource version: " + std::to_string(rv) + " (" +
                 std::to_string(compacted_) + ")");
  }
  auto first = std::upper_bound(history_.begin(), history_.end(), rv,
                                [](uint64_t v, const Change& c) { return v < c.rv; });
  std::vector<Change> out;
  for (auto it = first; it != history_.end() && out.size() < limit; ++it) out.push_back(*it);
  return out;
}

void ObjectStore::set_on_change(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  on_change_ = std::move(fn);
}

}  // namespace stampede::local::kube
