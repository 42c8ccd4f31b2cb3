-- One complaint and its history: GET /complaints/{id} then GET /complaints/{id}/events, over a
-- list of ids (BENCH_IDS_FILE); each wrk request is one of the two, alternating.
local token = os.getenv("BENCH_TOKEN")
local ids, i, n = {}, 0, 0
function init(args)
  for line in io.lines(os.getenv("BENCH_IDS_FILE")) do
    if #line > 0 then table.insert(ids, line) end
  end
  i = math.random(1, #ids)
end
function request()
  n = n + 1
  local id = ids[(i + math.floor(n / 2)) % #ids + 1]
  local path = "/api/v1/complaints/" .. id
  if n % 2 == 0 then path = path .. "/events" end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
