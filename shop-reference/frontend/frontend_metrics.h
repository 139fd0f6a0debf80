// The frontend's metrics, recorded into the process registry (shop::registry()):
//   shop_http_requests_total{route,code}, shop_http_request_duration_seconds{route},
//   shop_degraded_responses_total{dependency}, shop_checkouts_total{outcome}.
#pragma once

#include <string_view>

namespace shop {

// One answered request; `route` is the route pattern ("/product/{id}"), never the raw path.
void record_http_request(std::string_view route, int code, double seconds);
// A page or API answer served without an optional backend ("ad", "recommendation").
void record_degraded(std::string_view dependency);
// One checkout attempt: "placed", "invalid" (rejected by the frontend's validation), "rejected"
// (the checkout service refused it: bad card, empty cart) or "failed" (a backend failed).
void record_checkout(std::string_view outcome);

}  // namespace shop
