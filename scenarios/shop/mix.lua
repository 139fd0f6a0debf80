-- The everyday mix: Online Boutique's load-generator tasks with its weights, plus order cancels
-- through the JSON API (weight 1), so the refund saga runs under the same load.
local shop = require("shop")
local loadgen = require("loadgen")

local cancels = metrics.counter("orders_cancelled")

options = {
  scenarios = {
    mix = { executor = "ramping-vus", start_vus = 0, stages = {
      { duration = env.RAMP or "10s", target = tonumber(env.VUS or "20") },
      { duration = env.DURATION or "40s", target = tonumber(env.VUS or "20") },
      { duration = env.RAMP or "10s", target = 0 },
    } },
  },
  thresholds = {
    http_req_failed = { "rate<0.01" },
    ["http_req_duration{name:/}"] = { "p(95)<500" },
    checks = { "rate>0.99" },
  },
}

local function cancel_latest()
  local list = shop.decode(shop.api_get("/api/orders", "/api/orders"))
  if list == nil or list.orders == nil then return end
  for _, order in ipairs(list.orders) do
    if order.status == "PLACED" then
      local r = http.post(shop.BASE .. "/api/orders/" .. order.order_id .. "/cancel", "",
                          { name = "/api/orders/{id}/cancel" })
      if check(r, { ["cancel is 200"] = function(x) return x.status == 200 end }) then
        cancels:add(1)
      end
      return
    end
  end
end

local WEIGHTS = {}
for _, w in ipairs(loadgen.WEIGHTS) do WEIGHTS[#WEIGHTS + 1] = w end
WEIGHTS[#WEIGHTS + 1] = { cancel_latest, 1 }

function default(vu)
  if not vu.started then
    loadgen.tasks.index()
    vu.started = true
  end
  loadgen.choose(WEIGHTS)()
  shop.pause()
end
