-- wrk script for ./dev bench --only databases (databases.py beside it). Arguments after `--`:
-- the load, the number of users in the table, and a tag that makes this run's emails unique.
--   single   GET /users/{random id}
--   queries  GET /queries?ids=20 random ids (one query per id in the service)
--   list     GET /users?limit=20
--   insert   POST /users with a new email every time
local load, users, tag
local n = 0

function init(args)
  load, users, tag = args[1], tonumber(args[2]), args[3]
  math.randomseed(tonumber(tag:sub(1, 8), 16))  -- the tag is random hex
end

function request()
  if load == "single" then
    return wrk.format("GET", "/users/" .. math.random(users))
  elseif load == "queries" then
    local ids = {}
    for i = 1, 20 do ids[i] = math.random(users) end
    return wrk.format("GET", "/queries?ids=" .. table.concat(ids, ","))
  elseif load == "list" then
    return wrk.format("GET", "/users?limit=20")
  end
  n = n + 1
  local body = string.format('{"name": "user %d", "email": "%s.%d@example.com"}', n, tag, n)
  return wrk.format("POST", "/users", {["Content-Type"] = "application/json"}, body)
end
