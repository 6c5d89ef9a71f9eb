-- wrk script: an optional request from the environment (BENCH_METHOD, BENCH_BODY,
-- BENCH_HEADERS as "Name: value" lines, BENCH_PATHS as a space-separated list taken in turn),
-- and one summary line: requests/s, p50, p95, p99 in ms, and the failed requests.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local headers = {}
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end
local paths = {}
for path in (os.getenv("BENCH_PATHS") or ""):gmatch("%S+") do paths[#paths + 1] = path end
local turn = 0

request = function()
  turn = turn % math.max(#paths, 1) + 1
  return wrk.format(method, paths[turn], headers, body)
end

done = function(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    failed, summary.requests))
end
