-- Cancel: buy through the JSON API, cancel the order, and check the refund saga's result: the
-- order reads CANCELLED with its history, and a second cancel is refused with 409.
local shop = require("shop")

local cancelled = metrics.counter("orders_cancelled")

options = {
  scenarios = {
    cancel = { executor = "constant-vus", vus = tonumber(env.VUS or "5"),
               duration = env.DURATION or "30s" },
  },
  thresholds = {
    ["http_req_failed{expected:yes}"] = { "rate<0.01" },
    checks = { "rate>0.99" },
  },
}

-- The second cancel answers 409 on purpose; tag it so it is not counted as a failure above.
local YES = { expected = "yes" }

function default(vu)
  local added = http.post(shop.BASE .. "/api/cart",
                          json.encode({ product_id = shop.pick(shop.PRODUCTS), quantity = 2 }),
                          { name = "api-add-to-cart", tags = YES,
                            headers = { ["Content-Type"] = "application/json" } })
  check(added, { ["api add is 200"] = function(r) return r.status == 200 end })
  local placed = http.post(shop.BASE .. "/api/checkout", shop.checkout_json(),
                           { name = "api-checkout", tags = YES,
                             headers = { ["Content-Type"] = "application/json" } })
  local body = shop.decode(placed)
  if not check(body, { ["order placed"] = function(b)
    return placed.status == 200 and b ~= nil and b.order ~= nil and b.order.order_id ~= nil
  end }) then
    return
  end
  local id = body.order.order_id
  shop.pause()
  local c = http.post(shop.BASE .. "/api/orders/" .. id .. "/cancel", "",
                      { name = "api-cancel", tags = YES })
  if check(c, { ["cancel is 200"] = function(r) return r.status == 200 end }) then
    cancelled:add(1)
  end
  local read = shop.decode(http.get(shop.BASE .. "/api/orders/" .. id,
                                    { name = "api-order", tags = YES }))
  local order = read and read.order
  check(order, {
    ["order reads CANCELLED"] = function(o) return o ~= nil and o.status == "CANCELLED" end,
    ["history shows the cancel"] = function(o)
      if o == nil or o.history == nil then return false end
      local last = o.history[#o.history]
      return last ~= nil and last.status == "CANCELLED"
    end,
  })
  local again = http.post(shop.BASE .. "/api/orders/" .. id .. "/cancel", "",
                          { name = "api-cancel-again", tags = { expected = "no" } })
  check(again, { ["second cancel is 409"] = function(r) return r.status == 409 end })
  shop.pause()
end
