-- Built into the stampede binary and run in every Lua state before the user's script.
-- Functions that call back into user code live here, in Lua, so user callbacks may yield
-- (make requests, sleep) freely.
local record_check, group_enter, group_exit = ...

function check(value, checks, tags)
  if type(checks) ~= "table" then
    error("check: expected a table of checks as the second argument, got " .. type(checks), 2)
  end
  local all = true
  for name, c in pairs(checks) do
    local ok
    if type(c) == "function" then ok = c(value) else ok = c end
    ok = (ok ~= nil and ok ~= false)
    record_check(tostring(name), ok, tags)
    if not ok then all = false end
  end
  return all
end

function group(name, fn)
  if type(fn) ~= "function" then
    error("group: expected a function as the second argument, got " .. type(fn), 2)
  end
  local token = group_enter(name)
  local result = table.pack(pcall(fn))
  group_exit(token)
  if not result[1] then error(result[2], 0) end
  return table.unpack(result, 2, result.n)
end

function fail(message)
  error(message == nil and "fail() called" or tostring(message), 2)
end
