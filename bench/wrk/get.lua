-- GET a fixed path (BENCH_PATH) with the bearer token (BENCH_TOKEN, may be empty for public paths).
local path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
function request()
  return wrk.format("GET", path, headers)
end
