// The set of metric families a process exposes on /metrics.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/prometheus/family.h"
#include "common/prometheus/metrics.h"
#include "common/result.h"

namespace stampede::prometheus {

// The Prometheus default histogram buckets: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10.
std::vector<double> default_buckets();

// Owns metric families and renders them in the text exposition format 0.0.4. Families live as
// long as the Registry; references it returns stay valid. Thread-safe.
//
// Registering a name again with the same kind, labels (and buckets) returns the same family. An
// invalid name, label name or bucket list, or a clash with an existing family, is recorded
// (see status()) and answered with a detached family that works but is never rendered, so
// callers need no error path at each call site: check status() once after registering.
class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // A counter family. By convention `name` ends in "_total".
  Family<Counter>& counter(std::string name, std::string help,
                           std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(std::string name, std::string help,
                       std::vector<std::string> label_names = {});
  // A histogram family; `buckets` strictly increasing and not NaN (a trailing +Inf is
  // dropped: it is implicit), and "le" is not allowed as a label name.
  Family<Histogram>& histogram(std::string name, std::string help,
                               std::vector<std::string> label_names,
                               std::vector<double> buckets = default_buckets());

  // The exposition text: families in registration order, children sorted by label values.
  std::string render() const;
  // The series render() writes, as values: families in registration order (snapshot.h).
  std::vector<FamilySnapshot> collect() const;

  // OK, or the first problem: a rejected registration ("metric 'x': ...") or with() called
  // with the wrong number of label values.
  Status status() const;
  // Every rejected registration, in order.
  std::vector<std::string> errors() const;

 private:
  template <class M>
  Family<M>& add(std::string name, std::string help, std::vector<std::string> label_names,
                 const std::vector<double>* buckets, typename Family<M>::Factory make);
  // Why `name` cannot be registered as a new family with these labels, or "" when it can.
  std::string check_new(const std::string& name, const std::vector<std::string>& label_names,
                        std::string_view type) const;

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_;  // guarded by mu_; rendered in order
  std::vector<std::vector<double>> buckets_;  // guarded by mu_; histogram bounds per family
  std::vector<std::unique_ptr<FamilyBase>> rejected_;  // guarded by mu_; never rendered
  std::vector<std::string> errors_;                    // guarded by mu_
};

}  // namespace stampede::prometheus
