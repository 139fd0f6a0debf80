-- Shared helpers for the shop journeys: the base URL, Online Boutique's catalog ids, the
-- forms its load generator posts, and JSON API calls. Loaded with require("shop").
local M = {}

M.BASE = env.BASE or "http://127.0.0.1:8080"

-- Online Boutique's nine products.
M.PRODUCTS = {
  "0PUK6V6EV0", "1YMWWN1N4O", "2ZYFJ3GM2N", "66VCHSJNUP", "6E92ZMYYFZ",
  "9SIQT8TOJO", "L9ECAV7KIM", "LS4PSXUNUM", "OLJCESPC7Z",
}
M.CURRENCIES = { "EUR", "USD", "JPY", "CAD", "GBP", "TRY" }

local JSON = { headers = { ["Content-Type"] = "application/json" } }

function M.pick(list)
  return list[math.random(#list)]
end

-- Think time between steps; THINK_MIN/THINK_MAX (seconds) default to 1..3, and 0 disables it.
local think_min = tonumber(env.THINK_MIN or "1")
local think_max = tonumber(env.THINK_MAX or "3")
function M.pause()
  if think_max > 0 then sleep(think(think_min, think_max)) end
end

-- The checkout form Online Boutique's load generator posts (a VISA test card that passes Luhn,
-- written with dashes as the load generator writes it).
function M.checkout_form()
  local year = tonumber(os.date("%Y")) + 1
  return {
    email = "someone@example.com",
    street_address = "1600 Amphitheatre Parkway",
    zip_code = "94043",
    city = "Mountain View",
    state = "CA",
    country = "United States",
    credit_card_number = "4432-8015-6152-0454",
    credit_card_expiration_month = tostring(math.random(1, 12)),
    credit_card_expiration_year = tostring(year + math.random(0, 5)),
    credit_card_cvv = tostring(math.random(100, 999)),
  }
end

-- The same order as a JSON API body.
function M.checkout_json()
  local f = M.checkout_form()
  return json.encode({
    email = f.email,
    address = { street_address = f.street_address, city = f.city, state = f.state,
                country = f.country, zip_code = tonumber(f.zip_code) },
    credit_card = { credit_card_number = f.credit_card_number,
                    credit_card_cvv = tonumber(f.credit_card_cvv),
                    credit_card_expiration_year = tonumber(f.credit_card_expiration_year),
                    credit_card_expiration_month = tonumber(f.credit_card_expiration_month) },
  })
end

function M.api_get(path, name)
  return http.get(M.BASE .. path, { name = name })
end

function M.api_post(path, body, name)
  return http.post(M.BASE .. path, body, { name = name, headers = JSON.headers })
end

-- Decodes a JSON body, or nil when it is not JSON (an error page under faults).
function M.decode(r)
  local ok, value = pcall(function() return r:json() end)
  if ok then return value end
  return nil
end

return M
