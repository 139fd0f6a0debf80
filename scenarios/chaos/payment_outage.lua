-- A payment outage and checkout's circuit breaker: payment's Charge turns slow (LATENCY_MS,
-- longer than checkout's deadline for it) for OUTAGE. Checkout's breaker for payment must open,
-- failed checkouts must then come back fast (refused by the breaker instead of waiting for the
-- deadline), few calls may still reach payment, and once payment is well again the breaker must
-- close within CLOSE_WITHIN — and checkouts recover.
--
-- Values: checkout with a payment deadline below LATENCY_MS (PAYMENT_DEADLINE_MS) and its breaker
-- enabled (SHOP_BREAKER_ENABLED, PAYMENT_BREAKER_OPEN_MS).
-- Fails with the breaker disabled (PAYMENT_BREAKER_ENABLED=false): "circuit-breaker
-- checkout->payment during fault#1" — it never opens, and every checkout waits for the deadline.
local traffic = require("traffic")

options = {
  scenarios = { shoppers = traffic.steady("shopper", 10, "45s") },
  chaos = {
    { at = env.OUTAGE_AT or "10s", action = "fault", target = "payment",
      latency_ms = tonumber(env.LATENCY_MS or "5000"), methods = { "Charge" },
      duration = env.OUTAGE or "15s" },
  },
  expect = {
    { kind = "circuit-breaker", during = "fault", caller = "checkout", dependency = "payment",
      fast_fail = env.FAST_FAIL or "100ms",
      fast_fail_percentile = tonumber(env.FAST_FAIL_PERCENTILE or "90"),
      close_within = env.CLOSE_WITHIN or "15s" },
    { kind = "recovery", after = "fault", within = env.RECOVER_WITHIN or "15s",
      slo = { max_error_rate = 0.2 } },
  },
}

function shopper()
  traffic.checkout()
end
