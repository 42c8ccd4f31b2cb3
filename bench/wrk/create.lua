-- POST /api/v1/complaints as residents, a unique Idempotency-Key per request. The request
-- rotates over BENCH_TOKENS (comma-separated resident tokens), BENCH_BUILDINGS and
-- BENCH_CATEGORIES (comma-separated ids), so that the load looks like many residents of many
-- buildings rather than one resident filing thousands of identical complaints.
local function split(s)
  local t = {}
  for item in string.gmatch(s or "", "[^,]+") do table.insert(t, item) end
  return t
end
local tokens = split(os.getenv("BENCH_TOKENS"))
local buildings = split(os.getenv("BENCH_BUILDINGS"))
local categories = split(os.getenv("BENCH_CATEGORIES"))
local counter, threads = 0, {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() + tid * 7919)
  run = string.format("%x%x", os.time(), math.random(0, 0xffffff))
end
function request()
  counter = counter + 1
  local key = string.format("wrk-%s-%d-%d", run, tid, counter)
  local token = tokens[math.random(1, #tokens)]
  local body = string.format(
    '{"building_id":"%s","category_id":"%s","description":"Нагрузочный тест: нет горячей воды"}',
    buildings[math.random(1, #buildings)], categories[math.random(1, #categories)])
  return wrk.format("POST", "/api/v1/complaints",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json", ["Idempotency-Key"] = key },
    body)
end
