-- Online Boutique's own load generator (its locustfile), step for step: the same tasks, weights
-- (index 1, setCurrency 2, browseProduct 10, addToCart 2, viewCart 3, checkout 1), form posts,
-- cookies and followed redirects. Any 4xx/5xx is a failure.
local shop = require("shop")

options = {
  scenarios = {
    loadgen = { executor = "constant-vus", vus = tonumber(env.VUS or "10"),
                duration = env.DURATION or "30s" },
  },
  thresholds = {
    http_req_failed = { "rate==0" },
    checks = { "rate==1" },
  },
}

local function ok(r)
  return check(r, { ["2xx or 3xx"] = function(x) return x.status >= 200 and x.status < 400 end })
end

local tasks = {}

function tasks.index()
  ok(http.get(shop.BASE .. "/", { name = "/" }))
end

function tasks.set_currency()
  ok(http.post(shop.BASE .. "/setCurrency", { currency_code = shop.pick(shop.CURRENCIES) },
               { name = "/setCurrency" }))
end

function tasks.browse_product()
  ok(http.get(shop.BASE .. "/product/" .. shop.pick(shop.PRODUCTS), { name = "/product" }))
end

function tasks.view_cart()
  ok(http.get(shop.BASE .. "/cart", { name = "/cart" }))
end

function tasks.add_to_cart()
  local product = shop.pick(shop.PRODUCTS)
  ok(http.get(shop.BASE .. "/product/" .. product, { name = "/product" }))
  ok(http.post(shop.BASE .. "/cart", { product_id = product, quantity = tostring(math.random(1, 10)) },
               { name = "/cart (post)" }))
end

function tasks.checkout()
  tasks.add_to_cart()
  ok(http.post(shop.BASE .. "/cart/checkout", shop.checkout_form(), { name = "/cart/checkout" }))
end

-- Locust's weighted task choice.
local WEIGHTS = {
  { tasks.index, 1 }, { tasks.set_currency, 2 }, { tasks.browse_product, 10 },
  { tasks.add_to_cart, 2 }, { tasks.view_cart, 3 }, { tasks.checkout, 1 },
}

local function choose(weights)
  local total = 0
  for _, w in ipairs(weights) do total = total + w[2] end
  local x = math.random() * total
  for _, w in ipairs(weights) do
    x = x - w[2]
    if x < 0 then return w[1] end
  end
  return weights[#weights][1]
end

function default(vu)
  if not vu.started then  -- Locust's on_start
    tasks.index()
    vu.started = true
  end
  choose(WEIGHTS)()
  shop.pause()
end

return { tasks = tasks, choose = choose, WEIGHTS = WEIGHTS }
