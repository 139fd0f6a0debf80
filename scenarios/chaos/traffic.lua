-- Shop traffic for the chaos experiments: small journeys on the reference shop's pages and
-- JSON API (the full journeys are in scenarios/shop/). Loaded with require("traffic").
--
-- Every request goes on a new connection (Connection: close) unless KEEPALIVE=1: behind a
-- Kubernetes Service each new connection is balanced over the Ready pods, so this is what lets
-- an experiment see which pods traffic reaches — as many clients behind a load balancer would.
local M = {}

M.BASE = env.BASE or "http://127.0.0.1:8080"

M.PRODUCTS = {
  "0PUK6V6EV0", "1YMWWN1N4O", "2ZYFJ3GM2N", "66VCHSJNUP", "6E92ZMYYFZ",
  "9SIQT8TOJO", "L9ECAV7KIM", "LS4PSXUNUM", "OLJCESPC7Z",
}

local CLOSE = env.KEEPALIVE ~= "1"

local function params(name, json_body)
  local headers = {}
  if CLOSE then headers["Connection"] = "close" end
  if json_body then headers["Content-Type"] = "application/json" end
  return { name = name, headers = headers }
end

function M.pick(list)
  return list[math.random(#list)]
end

-- The home page and one product page.
function M.browse()
  local home = http.get(M.BASE .. "/", params("home"))
  check(home, { ["home is 200"] = function(r) return r.status == 200 end })
  local product = http.get(M.BASE .. "/product/" .. M.pick(M.PRODUCTS), params("product"))
  check(product, { ["product is 200"] = function(r) return r.status == 200 end })
end

-- The product list through the JSON API (catalog and currency, no cart).
function M.products()
  local r = http.get(M.BASE .. "/api/products", params("api-products"))
  check(r, { ["products is 200"] = function(x) return x.status == 200 end })
end

-- Adds an item to the session's cart and reads the cart back.
function M.add_to_cart()
  local body = json.encode({ product_id = M.pick(M.PRODUCTS), quantity = math.random(1, 3) })
  local add = http.post(M.BASE .. "/api/cart", body, params("api-add-to-cart", true))
  check(add, { ["add to cart is 200"] = function(r) return r.status == 200 end })
  local cart = http.get(M.BASE .. "/api/cart", params("api-cart"))
  check(cart, { ["cart is 200"] = function(r) return r.status == 200 end })
end

-- One item into the cart, then a checkout through the JSON API.
function M.checkout()
  local body = json.encode({ product_id = M.pick(M.PRODUCTS), quantity = 1 })
  http.post(M.BASE .. "/api/cart", body, params("api-add-to-cart", true))
  local year = tonumber(os.date("%Y")) + 1
  local order = json.encode({
    email = "someone@example.com",
    address = { street_address = "1600 Amphitheatre Parkway", city = "Mountain View",
                state = "CA", country = "United States", zip_code = 94043 },
    credit_card = { credit_card_number = "4432-8015-6152-0454", credit_card_cvv = 672,
                    credit_card_expiration_year = year, credit_card_expiration_month = 1 },
  })
  local r = http.post(M.BASE .. "/api/checkout", order, params("api-checkout", true))
  check(r, { ["checkout is 200"] = function(x) return x.status == 200 end })
  return r
end

-- A constant-arrival-rate scenario calling `exec` RATE times a second for DURATION.
function M.steady(exec, rate, duration)
  return {
    executor = "constant-arrival-rate", exec = exec,
    rate = tonumber(env.RATE or tostring(rate)), time_unit = "1s",
    duration = env.DURATION or duration,
    pre_allocated_vus = tonumber(env.VUS or "20"), max_vus = tonumber(env.MAX_VUS or "300"),
  }
end

return M
