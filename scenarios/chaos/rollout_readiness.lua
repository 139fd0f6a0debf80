-- Readiness during a rollout restart: every frontend pod is replaced (maxSurge 1,
-- maxUnavailable 0) under a steady page load. A new pod gets traffic only once its readiness
-- probe passes, an old one leaves the Service before it stops (SHUTDOWN_DELAY_MS), so no request
-- fails and no connection is reset.
--
-- Values: frontend with 2 replicas, a readiness probe, SHUTDOWN_DELAY_MS > the readiness period.
-- Fails without a readiness probe on a frontend that takes a moment to start
-- ("zero-downtime during rollout-restart#1").
local traffic = require("traffic")

options = {
  scenarios = { pages = traffic.steady("pages", 40, "40s") },
  chaos = {
    { at = env.ROLLOUT_AT or "10s", action = "rollout-restart", target = "frontend" },
  },
  expect = {
    { kind = "zero-downtime", during = "rollout-restart", min = tonumber(env.MIN_AVAILABILITY or "0.999") },
  },
}

function pages()
  traffic.products()
end
