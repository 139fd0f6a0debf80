-- The quick-start demo (scripts/demo.sh): shoppers browse, fill carts and check out on the
-- reference shop under `stampede up` while the chaos timeline hits it twice:
--
--   KILL_AT  (15s)  one of the two frontend pods is SIGKILLed. The platform restarts it and its
--                   readiness probe keeps it out of the Service until it serves; the other pod
--                   carries the load meanwhile.
--   OUTAGE_AT (30s) payment's Charge turns slow (LATENCY_MS, beyond checkout's deadline for it)
--                   for OUTAGE. Checkout's circuit breaker for payment opens, failed checkouts
--                   come back fast, and the breaker closes again once payment is well.
--
-- The verdicts: the killed pod healed and the shop stayed available after the kill, the breaker
-- did its job, and checkouts recovered after the outage. Values: scenarios/chaos/demo-values.yaml.
local traffic = require("traffic")

local DURATION = env.DURATION or "60s"

options = {
  scenarios = {
    browsers = traffic.steady("browser", 20, DURATION),
    shoppers = traffic.steady("shopper", 5, DURATION),
  },
  chaos = {
    { at = env.KILL_AT or "15s", action = "pod-kill", target = "frontend" },
    { at = env.OUTAGE_AT or "30s", action = "fault", target = "payment",
      latency_ms = tonumber(env.LATENCY_MS or "2000"), methods = { "Charge" },
      duration = env.OUTAGE or "12s" },
  },
  expect = {
    { kind = "self-healing", after = "pod-kill", restart_allowance = "5s" },
    { kind = "availability", after = "pod-kill", window = "10s", min = 0.97 },
    { kind = "circuit-breaker", during = "fault", caller = "checkout", dependency = "payment",
      fast_fail = "100ms", fast_fail_percentile = 90, close_within = "15s" },
    { kind = "recovery", after = "fault", within = "15s", slo = { max_error_rate = 0.2 } },
  },
  -- Checkouts fail while payment is out (that is the experiment); pages must not.
  thresholds = {
    ["http_req_failed{scenario:browsers}"] = { "rate<0.03" },
    ["http_req_duration{scenario:browsers}"] = { "p(95)<1000" },
  },
}

function browser()
  traffic.browse()
end

function shopper()
  traffic.add_to_cart()
  traffic.checkout()
end
