#include "shop-reference/frontend/frontend_metrics.h"

#include <string>

#include "shop-reference/common/shop_metrics.h"

namespace shop {
namespace {

using stampede::prometheus::Counter;
using stampede::prometheus::Family;
using stampede::prometheus::Histogram;

Family<Counter>& requests_family() {
  static auto& f = registry().counter("shop_http_requests_total",
                                      "HTTP requests answered by the frontend, by route pattern "
                                      "and status code.",
                                      {"route", "code"});
  return f;
}

Family<Histogram>& latency_family() {
  static auto& f =
      registry().histogram("shop_http_request_duration_seconds",
                           "Time to answer an HTTP request, by route pattern.", {"route"});
  return f;
}

Family<Counter>& degraded_family() {
  static auto& f =
      registry().counter("shop_degraded_responses_total",
                         "Answers served without an optional backend that failed.", {"dependency"});
  return f;
}

Family<Counter>& checkouts_family() {
  static auto& f = registry().counter("shop_checkouts_total",
                                      "Checkout attempts by outcome: placed, invalid, rejected, "
                                      "failed.",
                                      {"outcome"});
  return f;
}

}  // namespace

void record_http_request(std::string_view route, int code, double seconds) {
  std::string r(route);
  requests_family().with({r, std::to_string(code)}).inc();
  latency_family().with({r}).observe(seconds);
}

void record_degraded(std::string_view dependency) {
  degraded_family().with({std::string(dependency)}).inc();
}

void record_checkout(std::string_view outcome) {
  checkouts_family().with({std::string(outcome)}).inc();
}

}  // namespace shop
