-- A small user journey against stampede's test server (scripts/demo.sh starts one):
-- browse, log in (a cookie), post a form, read JSON back. Two scenarios: a closed model with
-- looping VUs, and an open model at a fixed arrival rate. Thresholds gate the exit code.
local BASE = env.BASE or "http://127.0.0.1:8080"

local cart_size = metrics.trend("cart_size")
local logins = metrics.counter("logins")

options = {
  scenarios = {
    browsers = { executor = "constant-vus", exec = "browse", vus = 20, duration = "10s" },
    buyers = { executor = "constant-arrival-rate", exec = "buy", rate = 50, time_unit = "1s",
               duration = "10s", pre_allocated_vus = 20, max_vus = 100 },
  },
  thresholds = {
    http_req_failed = { "rate<0.01" },
    ["http_req_duration{name:home}"] = { "p(99)<250" },
    checks = { "rate>0.99" },
  },
}

function browse(vu)
  group("browse", function()
    local home = http.get(BASE .. "/?delay_ms=5", { name = "home" })
    check(home, { ["home is 200"] = function(r) return r.status == 200 end })
    sleep(think(0.2, 0.5))
    local item = http.get(BASE .. "/json", { name = "product" })
    check(item, { ["product has items"] = function(r) return #r:json().items == 3 end })
  end)
  sleep(think(0.2, 0.5))
end

function buy(vu)
  if not vu.logged_in then  -- per-VU state lives on the vu table
    http.get(BASE .. "/cookies/set?session=" .. vu.id, { name = "login" })
    logins:add(1)
    vu.logged_in = true
  end
  local form = http.post(BASE .. "/echo", { product_id = "OLJCESPC7Z", quantity = "2" },
                         { name = "add-to-cart" })
  local echoed = form:json()
  check(echoed, {
    ["form is encoded"] = function(e) return e.body == "product_id=OLJCESPC7Z&quantity=2"
                                          or e.body == "quantity=2&product_id=OLJCESPC7Z" end,
    ["session cookie sent"] = function(e) return (e.headers.cookie or ""):find("session=") ~= nil end,
  })
  cart_size:add(2)
end
