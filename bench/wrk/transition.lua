-- POST /complaints/{id}/transitions {"type":"accept"} with If-Match "1" over pre-created registered
-- complaints (BENCH_IDS_FILE); every thread walks its own slice, each id once.
local token = os.getenv("BENCH_TOKEN")
-- (wrk runs a thread's init before the next thread's setup, so the thread count comes from the
-- environment, not from counting setups.)
local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
local ids, n = {}, 0
function init(args)
  local k = 0
  for line in io.lines(os.getenv("BENCH_IDS_FILE")) do
    if #line > 0 then
      if k % nthreads == tid then table.insert(ids, line) end
      k = k + 1
    end
  end
end
function request()
  n = n + 1
  local id = ids[(n - 1) % #ids + 1]
  return wrk.format("POST", "/api/v1/complaints/" .. id .. "/transitions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json", ["If-Match"] = '"1"' },
    '{"type":"accept"}')
end
