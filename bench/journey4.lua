-- bench: a 4-step journey with checks and a JSON decode per iteration.
local BASE = env.BASE
function default()
  local home = http.get(BASE .. "/", { name = "home" })
  check(home, { ["home 200"] = function(r) return r.status == 200 end })
  local product = http.get(BASE .. "/json", { name = "product" })
  check(product, { ["product id"] = function(r) return r:json().id == "OLJCESPC7Z" end })
  local add = http.post(BASE .. "/cart", "product_id=OLJCESPC7Z&quantity=2",
                        { name = "add", headers = { ["Content-Type"] = "application/x-www-form-urlencoded" } })
  check(add, { ["added"] = function(r) return r.status == 200 end })
  local cart = http.get(BASE .. "/cart", { name = "cart" })
  check(cart, { ["cart 200"] = function(r) return r.status == 200 end })
end
