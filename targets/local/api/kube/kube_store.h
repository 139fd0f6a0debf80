// ObjectStore: the Kubernetes API's objects, like the API server's watch cache. Each object
// carries the resourceVersion of its last change (metadata.resourceVersion); one global counter
// (etcd's revision) numbers every change; a bounded history of changes (ADDED, MODIFIED,
// DELETED) is what watches replay. The history holds each version in the form a watch sends it
// (its JSON text and what selectors look at: a few KB, not a parsed tree of tens of KB). The
// renderer writes it on the runtime's control thread; API handler threads and the watch hub
// read it. Objects are immutable once stored and shared by pointer. Thread-safe (one mutex);
// the change callback runs outside it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local::kube {

enum class ChangeType { kAdded, kModified, kDeleted };
// "ADDED", "MODIFIED", "DELETED" (the watch event types).
const char* change_type_name(ChangeType type);

using ObjectPtr = std::shared_ptr<const nlohmann::json>;

// An object as a watch sends it and selects it.
struct ObjectForm {
  std::string text;  // the object as JSON
  std::string namespace_;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> fields;  // every field selector field it has a value for
};
using FormPtr = std::shared_ptr<const ObjectForm>;
// The form of `object`.
FormPtr make_form(const nlohmann::json& object);

// One numbered change of the history; shares its forms with the store.
struct Change {
  uint64_t rv = 0;
  ChangeType type = ChangeType::kAdded;
  std::string resource;  // "pods", "deployments", ...
  FormPtr object;        // the object at this change (DELETED: its last state, at this rv)
  FormPtr previous;      // the object before it (null for ADDED)
};

// The objects of a resource at one resourceVersion.
struct Listing {
  std::vector<ObjectPtr> items;  // sorted by name
  uint64_t rv = 0;               // the store's resourceVersion when listed
};
// The same in watch form.
struct FormListing {
  std::vector<FormPtr> items;  // sorted by name
  uint64_t rv = 0;
};

// The store (see above): owns the objects and the history; thread-safe.
class ObjectStore {
 public:
  explicit ObjectStore(size_t history_limit = 10000) : history_limit_(history_limit) {}

  // Makes `objects` (keyed by metadata.name) the whole set of `resource`: every new, changed
  // (compared without metadata.resourceVersion) or vanished object is one change with its own
  // resourceVersion. Returns the number of changes.
  size_t replace(const std::string& resource, std::vector<nlohmann::json> objects);
  // Adds or updates one object; false when it is unchanged.
  bool put(const std::string& resource, nlohmann::json object);
  // Removes one object (a DELETED change); false when it is not there.
  bool erase(const std::string& resource, const std::string& name);
  // A resource without versions or history (metrics): replaced wholesale, never watched.
  void set_unversioned(const std::string& resource, std::vector<nlohmann::json> objects);

  Listing list(const std::string& resource) const;
  // The same objects in their watch form (for a watch's initial events).
  FormListing list_forms(const std::string& resource) const;
  // The object, or null when there is none.
  ObjectPtr get(const std::string& resource, const std::string& name) const;
  uint64_t resource_version() const;
  // The changes after `rv`, oldest first, at most `limit`. Error, when changes after `rv` have
  // left the history: "too old resource version: RV (OLDEST)".
  Result<std::vector<Change>> changes_after(uint64_t rv, size_t limit = SIZE_MAX) const;
  // `fn` runs after every mutation that changed something (outside the lock).
  void set_on_change(std::function<void()> fn);

 private:
  struct Stored {
    ObjectPtr object;
    FormPtr form;
  };
  // Records one change under mu_; `object` gets its resourceVersion here.
  void record(const std::string& resource, ChangeType type, nlohmann::json object,
              const Stored* previous);
  void notify();

  const size_t history_limit_;
  mutable std::mutex mu_;
  uint64_t rv_ = 0;         // guarded by mu_
  uint64_t compacted_ = 0;  // rv of the newest change dropped from the history; guarded by mu_
  std::map<std::string, std::map<std::string, Stored>> objects_;  // guarded by mu_
  std::deque<Change> history_;                                    // guarded by mu_
  std::function<void()> on_change_;                               // guarded by mu_
};

}  // namespace stampede::local::kube
