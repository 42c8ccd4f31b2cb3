-- GET a fixed path (BENCH_PATH) with the bearer token (BENCH_TOKEN: a JWT or an API key; may be
-- empty for public paths), optionally conditional (BENCH_IF_NONE_MATCH: an ETag).
local path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN") or ""
local if_none_match = os.getenv("BENCH_IF_NONE_MATCH") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
if if_none_match ~= "" then headers["If-None-Match"] = if_none_match end
function request()
  return wrk.format("GET", path, headers)
end
