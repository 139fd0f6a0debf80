-- bench: one keep-alive GET per iteration, no checks (wrk's workload).
local URL = env.URL
options = { http_transport = env.TRANSPORT }
function default() http.get(URL, { name = "plain" }) end
