-- Benchmark journey: one full checkout per iteration through the JSON API (add an item, place
-- the order), no think time. Iterations/s = checkouts/s.
local BASE = env.BASE
local JSON = { ["Content-Type"] = "application/json" }
local ORDER = json.encode({
  email = "bench@example.com",
  address = { street_address = "1600 Amphitheatre Parkway", city = "Mountain View", state = "CA",
              country = "United States", zip_code = 94043 },
  credit_card = { credit_card_number = "4432801561520454", credit_card_cvv = 672,
                  credit_card_expiration_year = 2039, credit_card_expiration_month = 1 },
})
local ITEM = json.encode({ product_id = "OLJCESPC7Z", quantity = 1 })

options = { thresholds = { checks = { "rate==1" } } }

function default()
  http.post(BASE .. "/api/cart", ITEM, { name = "add", headers = JSON })
  local r = http.post(BASE .. "/api/checkout", ORDER, { name = "checkout", headers = JSON })
  check(r, { ["order placed"] = function(x) return x.status == 200 end })
end
