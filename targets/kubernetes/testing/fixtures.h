// Test-only: the JSON fixtures in targets/kubernetes/testing/fixtures/ — API answers in
// Kubernetes' exact shapes (checked against the Kubernetes 1.30 types by
// tests/chart/kube_fixtures_test.mjs). Functions abort the test binary on a missing fixture.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stampede::kube::testing {

// The fixture's full path ("pod_list.json" -> /.../testing/fixtures/pod_list.json).
std::string fixture_path(const std::string& name);
// The fixture's text.
std::string fixture_text(const std::string& name);
// The fixture parsed as one JSON document.
nlohmann::json fixture_json(const std::string& name);
// A `.jsonl` fixture's lines (watch events), without their newlines.
std::vector<std::string> fixture_lines(const std::string& name);

}  // namespace stampede::kube::testing
