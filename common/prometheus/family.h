// Metric families: one name, help text and label names; one child metric per label-value set.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/prometheus/metrics.h"
#include "common/prometheus/snapshot.h"
#include "common/prometheus/text_format.h"

namespace stampede::prometheus {

// What the Registry needs from a family of any metric kind. Immutable after construction except
// for its children; thread-safe.
class FamilyBase {
 public:
  virtual ~FamilyBase() = default;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  virtual std::string_view type() const = 0;
  // Appends HELP, TYPE and every child's samples, children sorted by label values. A labelled
  // family with no children yet renders nothing.
  virtual void render(std::string& out) const = 0;
  // The same children as render() writes, as values (snapshot.h); a labelled family with no
  // children yet has none.
  virtual FamilySnapshot collect() const = 0;
  // How often with() was called with the wrong number of label values.
  size_t arity_errors() const { return arity_errors_.load(); }

 protected:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

  // Renders name="value" pairs (escaped) for one child.
  std::string render_labels(const std::vector<std::string>& values) const {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      out += label_names_[i];
      out += "=\"";
      out += escape_label_value(values[i]);
      out += '"';
    }
    return out;
  }
  void render_header(std::string& out) const {
    if (!help_.empty()) out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
    out += "# TYPE " + name_ + " ";
    out += type();
    out += '\n';
  }

  std::atomic<size_t> arity_errors_{0};

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
};

// The children of one metric name, created on first use of their label values. with() returns
// a reference that stays valid as long as the family (i.e. the Registry) lives: cache it on hot
// paths, since with() itself takes a shared lock and compares strings; updating the child is
// lock-free. Creation takes the exclusive lock. Thread-safe.
//
// Calling with() with the wrong number of label values is a programming error: it returns a
// detached "sink" child (updates go nowhere, never rendered) and counts the error, which
// Registry::status() reports.
template <class M>
class Family final : public FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<M>()>;

  Family(std::string name, std::string help, std::vector<std::string> label_names, Factory make)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names)),
        make_(std::move(make)),
        sink_(make_()) {
    // A family without labels has exactly one child, rendered (as 0) from the start.
    if (this->label_names().empty()) children_.emplace(std::vector<std::string>{}, make_());
  }

  // The child for `label_values` (one per label name, in order), created when new.
  M& with(const std::vector<std::string>& label_values = {}) {
    if (label_values.size() != label_names().size()) {
      arity_errors_.fetch_add(1);
      return *sink_;
    }
    {
      std::shared_lock lock(mu_);
      const auto it = children_.find(label_values);
      if (it != children_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& child = children_[label_values];
    if (!child) child = make_();
    return *child;
  }

  std::string_view type() const override { return M::kType; }

  void render(std::string& out) const override {
    std::shared_lock lock(mu_);
    if (children_.empty()) return;
    render_header(out);
    for (const auto& [values, child] : children_) child->render(out, name(), render_labels(values));
  }

  FamilySnapshot collect() const override {
    FamilySnapshot out{name(), help(), std::string(type()), label_names(), {}, {}};
    std::shared_lock lock(mu_);
    for (const auto& [values, child] : children_) {
      ChildSnapshot c;
      c.label_values = values;
      child->collect(c, out.bounds);
      out.children.push_back(std::move(c));
    }
    return out;
  }

 private:
  const Factory make_;
  const std::unique_ptr<M> sink_;
  mutable std::shared_mutex mu_;
  // Sorted by label values; unique_ptr keeps references stable across inserts.
  std::map<std::vector<std::string>, std::unique_ptr<M>> children_;  // guarded by mu_
};

}  // namespace stampede::prometheus
