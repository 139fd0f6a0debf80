-- Benchmark: the frontend's home page (catalog, currency conversion of nine prices, cart, ads).
options = {}
function default()
  http.get(env.BASE .. "/", { name = "home", discard_body = true })
end
