-- A Redis outage behind the cart: Redis is stopped (scaled to 0) for OUTAGE and started again.
-- Carts fail meanwhile (the cart reports NOT_SERVING while Redis is unreachable), but the cart's
-- pods must not be restarted for it — their liveness must tolerate a dependency's outage — and
-- the shop must recover within RECOVER_WITHIN once Redis is back.
--
-- Values: redis enabled; the cart's liveness probe with failureThreshold x period longer than
-- OUTAGE.
-- Fails with a cart liveness failureThreshold so short that the outage kills healthy cart pods
-- ("self-healing after dependency-down#1": restarted although only its dependency was down).
local traffic = require("traffic")

options = {
  scenarios = { shoppers = traffic.steady("shopper", 20, "40s") },
  chaos = {
    { at = env.OUTAGE_AT or "10s", action = "dependency-down", target = "redis",
      duration = env.OUTAGE or "10s" },
  },
  expect = {
    { kind = "self-healing", after = "dependency-down", target = "cart", restart = false,
      name = "cart survives the Redis outage",
      restart_allowance = env.RESTART_ALLOWANCE or "3s" },
    { kind = "recovery", after = "dependency-down", within = env.RECOVER_WITHIN or "20s" },
  },
}

function shopper()
  traffic.add_to_cart()
end
