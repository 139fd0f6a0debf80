-- Self-healing after a pod kill: one of the frontend's pods is SIGKILLed under a steady page
-- load. The platform restarts it at once; its readiness probe keeps traffic away from it until
-- it serves again, so the other replica carries the load meanwhile: after the kill the shop stays
-- available.
--
-- Values (stampede up): frontend with 2 replicas and a readiness probe.
-- Fails without a readiness probe on a frontend that warms up before it can serve: the restarted
-- pod counts as ready at once and gets traffic it fails ("availability after pod-kill#1").
local traffic = require("traffic")

options = {
  scenarios = { pages = traffic.steady("pages", 40, "40s") },
  chaos = {
    { at = env.KILL_AT or "15s", action = "pod-kill", target = "frontend" },
  },
  expect = {
    { kind = "self-healing", after = "pod-kill", restart_allowance = env.RESTART_ALLOWANCE or "5s" },
    { kind = "availability", after = "pod-kill", window = env.WINDOW or "10s",
      min = tonumber(env.MIN_AVAILABILITY or "0.97") },
    { kind = "recovery", after = "pod-kill", within = env.RECOVER_WITHIN or "10s",
      slo = { max_error_rate = 0.1 } },
  },
}

function pages()
  traffic.products()
end
