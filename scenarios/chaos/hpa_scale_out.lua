-- HPA scale-out under a load step: a light load, then at STEP_AT a step to RATE requests a
-- second. Every frontend request costs CPU (the values give the frontend FAULT_CPU_BURN_MS), so
-- the step drives the HPA's measured utilisation over its target: it must scale out within
-- SCALE_UP_WITHIN to the count the Kubernetes formula gives for the CPU it measured, and the
-- SLO may be violated for at most MAX_VIOLATION while it does.
--
-- Values: frontend with autoscaling enabled (min 1, max 4 or more, a CPU target), a CPU request,
-- env FAULT_CPU_BURN_MS; a short hpaSyncPeriodSeconds / cpuWindowSeconds for quick runs.
-- Fails with maxReplicas 1 ("autoscaling of frontend": no scale-up).
local traffic = require("traffic")

local step = env.STEP_AT or "10s"

options = {
  scenarios = {
    before = { executor = "constant-arrival-rate", exec = "pages", rate = tonumber(env.BASE_RATE or "2"),
               duration = step, pre_allocated_vus = 5 },
    step = { executor = "constant-arrival-rate", exec = "pages", start_time = step,
             rate = tonumber(env.RATE or "40"), duration = env.DURATION or "80s",
             pre_allocated_vus = tonumber(env.VUS or "20"), max_vus = tonumber(env.MAX_VUS or "300") },
  },
  expect = {
    { kind = "autoscaling", target = "frontend", from = step,
      scale_up_within = env.SCALE_UP_WITHIN or "45s",
      replica_tolerance = tonumber(env.REPLICA_TOLERANCE or "1"),
      slo = { latency_ms = tonumber(env.SLO_LATENCY_MS or "1000"), max_slow_rate = 0.05 } },
  },
}

function pages()
  traffic.products()
end
