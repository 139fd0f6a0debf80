-- Checkout: fill a cart and buy it through Online Boutique's HTML form, then find the order
-- through the JSON API.
local shop = require("shop")

local placed = metrics.counter("orders_placed")
local checkout_ms = metrics.trend("checkout_ms", true)

options = {
  scenarios = {
    checkout = { executor = "constant-vus", vus = tonumber(env.VUS or "5"),
                 duration = env.DURATION or "30s" },
  },
  thresholds = {
    http_req_failed = { "rate<0.01" },
    ["http_req_duration{name:checkout}"] = { "p(95)<1000" },
    checks = { "rate>0.99" },
  },
}

function default(vu)
  for _ = 1, math.random(1, 3) do
    http.post(shop.BASE .. "/cart", { product_id = shop.pick(shop.PRODUCTS),
                                      quantity = tostring(math.random(1, 3)) },
              { name = "add-to-cart" })
  end
  http.get(shop.BASE .. "/cart", { name = "view-cart" })
  shop.pause()
  local r = http.post(shop.BASE .. "/cart/checkout", shop.checkout_form(), { name = "checkout" })
  checkout_ms:add(r.timings.duration)
  if check(r, { ["checkout is 200"] = function(x) return x.status == 200 end }) then
    placed:add(1)
  end
  local orders = shop.decode(shop.api_get("/api/orders", "api-orders"))
  check(orders, { ["order is on record"] = function(o)
    return o ~= nil and o.orders ~= nil and #o.orders >= 1 and o.orders[1].status == "PLACED"
  end })
  local cart = shop.decode(shop.api_get("/api/cart", "api-cart"))
  check(cart, { ["cart is empty after checkout"] = function(c)
    return c ~= nil and c.total_items == 0
  end })
  shop.pause()
end
