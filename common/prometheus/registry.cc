#include "common/prometheus/registry.h"

#include <cmath>
#include <set>
#include <utility>

namespace stampede::prometheus {

namespace {

// The sample names a family of `type` called `name` puts into the exposition.
std::vector<std::string> exposed_names(const std::string& name, std::string_view type) {
  if (type == Histogram::kType) return {name, name + "_bucket", name + "_sum", name + "_count"};
  return {name};
}

std::string join(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + names[i];
  return out + "]";
}

}  // namespace

std::vector<double> default_buckets() {
  return {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
}

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> label_names) {
  return add<Counter>(std::move(name), std::move(help), std::move(label_names), nullptr,
                      [] { return std::make_unique<Counter>(); });
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> label_names) {
  return add<Gauge>(std::move(name), std::move(help), std::move(label_names), nullptr,
                    [] { return std::make_unique<Gauge>(); });
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> buckets) {
  if (!buckets.empty() && buckets.back() == INFINITY) buckets.pop_back();
  auto make = [buckets] { return std::make_unique<Histogram>(buckets); };
  return add<Histogram>(std::move(name), std::move(help), std::move(label_names), &buckets,
                        std::move(make));
}

template <class M>
Family<M>& Registry::add(std::string name, std::string help, std::vector<std::string> label_names,
                         const std::vector<double>* buckets, typename Family<M>::Factory make) {
  std::lock_guard lock(mu_);
  std::string problem;
  for (size_t i = 0; i < families_.size() && problem.empty(); ++i) {
    FamilyBase& existing = *families_[i];
    if (existing.name() != name) continue;
    const bool same = existing.type() == M::kType && existing.label_names() == label_names &&
                      (buckets == nullptr || buckets_[i] == *buckets);
    if (same) return static_cast<Family<M>&>(existing);
    problem = "already registered as " + std::string(existing.type()) + " with labels " +
              join(existing.label_names());
    if (buckets != nullptr && existing.type() == M::kType) problem += " and other buckets";
  }
  if (problem.empty()) problem = check_new(name, label_names, M::kType);
  if (problem.empty() && buckets != nullptr) {
    for (size_t i = 0; i < buckets->size(); ++i) {
      if (!std::isfinite((*buckets)[i]) || (i > 0 && !((*buckets)[i - 1] < (*buckets)[i]))) {
        problem = "histogram buckets must be finite and strictly increasing";
        break;
      }
    }
  }
  auto family = std::make_unique<Family<M>>(std::move(name), std::move(help),
                                            std::move(label_names), std::move(make));
  Family<M>& result = *family;
  if (!problem.empty()) {
    errors_.push_back("metric '" + result.name() + "': " + problem);
    rejected_.push_back(std::move(family));
    return result;
  }
  families_.push_back(std::move(family));
  buckets_.push_back(buckets != nullptr ? *buckets : std::vector<double>{});
  return result;
}

std::string Registry::check_new(const std::string& name,
                                const std::vector<std::string>& label_names,
                                std::string_view type) const {
  if (!valid_metric_name(name)) return "invalid metric name";
  std::set<std::string> seen;
  for (const std::string& label : label_names) {
    if (!valid_label_name(label)) return "invalid label name '" + label + "'";
    if (type == Histogram::kType && label == "le") return "label name 'le' is reserved";
    if (!seen.insert(label).second) return "duplicate label name '" + label + "'";
  }
  // A histogram "x" also exposes x_bucket, x_sum and x_count: those must not clash either.
  const std::vector<std::string> mine = exposed_names(name, type);
  for (const auto& existing : families_) {
    for (const std::string& theirs : exposed_names(existing->name(), existing->type())) {
      for (const std::string& own : mine) {
        if (own == theirs) {
          return "sample name '" + own + "' clashes with " + std::string(existing->type()) + " '" +
                 existing->name() + "'";
        }
      }
    }
  }
  return "";
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& family : families_) family->render(out);
  return out;
}

std::vector<FamilySnapshot> Registry::collect() const {
  std::lock_guard lock(mu_);
  std::vector<FamilySnapshot> out;
  out.reserve(families_.size());
  for (const auto& family : families_) out.push_back(family->collect());
  return out;
}

Status Registry::status() const {
  std::lock_guard lock(mu_);
  if (!errors_.empty()) return Error(errors_.front());
  for (const auto& family : families_) {
    if (const size_t count = family->arity_errors(); count > 0) {
      return Error("metric '" + family->name() + "': with() called " + std::to_string(count) +
                   " time(s) with a number of label values other than " +
                   std::to_string(family->label_names().size()));
    }
  }
  return Status::Ok();
}

std::vector<std::string> Registry::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

}  // namespace stampede::prometheus
