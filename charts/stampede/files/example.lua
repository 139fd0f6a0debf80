-- The chart's default script: a short, gentle page load on BASE (default: the shop-reference
-- chart's frontend Service of a release called "shop" in the namespace "shop"). Replace it with
-- your own: --set-file script.content=test.lua (and script.name=test.lua).
local BASE = env.BASE or "http://shop-shop-reference-frontend.shop.svc"

options = {
  scenarios = {
    pages = { executor = "constant-arrival-rate", rate = 10, duration = "30s",
              pre_allocated_vus = 5, max_vus = 20, exec = "pages" },
  },
  thresholds = {
    http_req_failed = { "rate<0.01" },
    ["http_req_duration{name:home}"] = { "p(95)<500" },
  },
}

function pages()
  local r = http.get(BASE .. "/", { name = "home" })
  check(r, { ["status is 200"] = function(res) return res.status == 200 end })
end
