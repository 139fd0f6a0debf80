-- Add to cart: look at a product, put it in the cart through the HTML form, and check that the
-- cart (read back through the JSON API) holds what this VU put there.
local shop = require("shop")

options = {
  scenarios = {
    add_to_cart = { executor = "constant-vus", vus = tonumber(env.VUS or "10"),
                    duration = env.DURATION or "30s" },
  },
  thresholds = {
    http_req_failed = { "rate<0.01" },
    checks = { "rate>0.99" },
  },
}

function default(vu)
  vu.expected = vu.expected or 0
  local id = shop.pick(shop.PRODUCTS)
  http.get(shop.BASE .. "/product/" .. id, { name = "product" })
  shop.pause()
  local quantity = math.random(1, 10)
  local added = http.post(shop.BASE .. "/cart", { product_id = id, quantity = tostring(quantity) },
                          { name = "add-to-cart", redirects = 0 })
  if check(added, { ["add-to-cart redirects to /cart"] = function(r)
    return r.status == 302 and r.headers["location"] == "/cart"
  end }) then
    vu.expected = vu.expected + quantity
  end
  local cart = shop.decode(shop.api_get("/api/cart", "api-cart"))
  check(cart, { ["cart holds what was added"] = function(c)
    return c ~= nil and c.total_items == vu.expected
  end })
  shop.pause()
  if vu.expected > 50 then
    http.post(shop.BASE .. "/cart/empty", "", { name = "empty-cart", redirects = 0 })
    vu.expected = 0
  end
end
