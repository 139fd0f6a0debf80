-- bench: VUs that only sleep, to measure the memory cost of an idle VU.
options = { scenarios = { idle = { executor = "constant-vus", vus = tonumber(env.VUS),
                                    duration = env.DURATION or "6s", graceful_stop = "0s" } } }
function default() sleep(60) end
