// Server-side printing: meta.k8s.io Table objects with the columns and cell formats of
// Kubernetes' own printers (pkg/printers/internalversion/printers.go) — pods NAME READY STATUS
// RESTARTS AGE (+ IP NODE NOMINATED NODE READINESS GATES), deployments, replicasets, services,
// endpoints, HPAs, events, namespaces, secrets, and the default NAME / CREATED AT table for
// anything else. Cells are computed when the table is made (AGE is relative to `now_ms`, as the
// API server computes it when it answers; kubectl prints the cells as they come). Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "targets/local/api/kube/kube_resources.h"

namespace stampede::local::kube {

enum class IncludeObject { kNone, kMetadata, kObject };

// How a Table is made; a plain value.
struct TableOptions {
  std::string api_version = "meta.k8s.io/v1";  // or meta.k8s.io/v1beta1, as asked
  IncludeObject include = IncludeObject::kMetadata;
  bool with_columns = true;  // watch events after the first carry no column definitions
};

// columnDefinitions of the resource's table.
nlohmann::json table_columns(const ResourceInfo& resource);
// The cells of one object's row, as of `now_ms` (unix ms).
nlohmann::json table_cells(const ResourceInfo& resource, const nlohmann::json& object,
                           int64_t now_ms);
// A Table of `objects` with metadata.resourceVersion `rv`.
nlohmann::json make_table(const ResourceInfo& resource,
                          const std::vector<const nlohmann::json*>& objects, const std::string& rv,
                          int64_t now_ms, const TableOptions& options);

// apimachinery's duration.HumanDuration of `ms`: "45s", "3m20s", "5h", "12d".
std::string human_duration(int64_t ms);
// The AGE of an RFC 3339 time as of `now_ms`; "<unknown>" when it is missing or malformed.
std::string age_since(const nlohmann::json& timestamp, int64_t now_ms);
// The pod printer's STATUS (Running, Pending, ContainerCreating, CrashLoopBackOff, Completed,
// Error, Terminating, Signal:9, ExitCode:2, NotReady, ...).
std::string pod_status_text(const nlohmann::json& pod);
// The pod printer's RESTARTS: "0", "2 (15s ago)".
std::string pod_restarts_text(const nlohmann::json& pod, int64_t now_ms);

}  // namespace stampede::local::kube
