// Reading the Prometheus text exposition format (0.0.4): the samples of a /metrics page, so the
// chaos controller can follow the shop's circuit breakers and client calls. Comments and HELP/
// TYPE lines are skipped; a malformed line is an error naming its line number. Pure, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace stampede {

struct PromSample {
  std::string name;  // with its suffix: "shop_client_request_duration_seconds_bucket"
  std::map<std::string, std::string> labels;
  double value = 0;

  // The label's value, or "" when absent.
  const std::string& label(const std::string& key) const;
};

Result<std::vector<PromSample>> parse_prometheus_text(std::string_view text);

}  // namespace stampede
