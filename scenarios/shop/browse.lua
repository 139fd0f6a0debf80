-- Browse: the home page, a few product pages and a currency change, as a shopper who never buys.
local shop = require("shop")

options = {
  scenarios = {
    browse = { executor = "constant-vus", vus = tonumber(env.VUS or "10"),
               duration = env.DURATION or "30s" },
  },
  thresholds = {
    http_req_failed = { "rate<0.01" },
    ["http_req_duration{name:home}"] = { "p(95)<500" },
    checks = { "rate>0.99" },
  },
}

function default(vu)
  local home = http.get(shop.BASE .. "/", { name = "home" })
  check(home, { ["home is 200"] = function(r) return r.status == 200 end })
  shop.pause()
  for _ = 1, 3 do
    local product = http.get(shop.BASE .. "/product/" .. shop.pick(shop.PRODUCTS),
                             { name = "product" })
    check(product, { ["product is 200"] = function(r) return r.status == 200 end })
    shop.pause()
  end
  local currency = http.post(shop.BASE .. "/setCurrency",
                             { currency_code = shop.pick(shop.CURRENCIES) },
                             { name = "set-currency", redirects = 0 })
  check(currency, { ["set-currency redirects"] = function(r) return r.status == 302 end })
  shop.pause()
end
