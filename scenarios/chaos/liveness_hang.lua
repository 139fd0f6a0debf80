-- The liveness probe, both ways. First a frontend pod stalls for PAUSE (SIGSTOP, then SIGCONT):
-- a slow but healthy pod that the liveness probe must tolerate. Then another hangs for good
-- (the shop's `hang` knob: it accepts requests, probes included, and never answers): the
-- liveness probe must find it and the platform restart it within the bound its spec predicts,
-- (failureThreshold - 1) x period + timeout + period, plus the grace period and the restart.
--
-- Values: frontend with 2 replicas and a liveness probe whose failureThreshold x period is
-- longer than PAUSE.
-- Fails without a liveness probe (the hung pod is never restarted: "self-healing after
-- fault#1"), and with a failureThreshold so short that the stall alone kills the pod
-- ("the stall is tolerated").
local traffic = require("traffic")

options = {
  scenarios = { pages = traffic.steady("pages", 20, "60s") },
  chaos = {
    { at = env.PAUSE_AT or "10s", action = "pod-pause", target = "frontend",
      duration = env.PAUSE or "2500ms", name = "stall" },
    { at = env.HANG_AT or "25s", action = "fault", target = "frontend", hang = true,
      duration = env.HANG or "30s" },
  },
  expect = {
    { kind = "self-healing", after = "stall", restart = false, name = "the stall is tolerated" },
    { kind = "self-healing", after = "fault", restart_allowance = env.RESTART_ALLOWANCE or "5s" },
  },
}

function pages()
  traffic.products()
end
