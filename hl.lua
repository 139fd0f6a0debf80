options = { vus = 8, duration = "3s" }
function default(vu) http.get(env.BASE .. "/?delay_ms=5") end
