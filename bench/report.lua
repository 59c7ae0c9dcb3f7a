-- wrk's report as one JSON line: requests, seconds, errors, non-2xx answers, p50 and p99 (µs).
-- BENCH_MAX_REQUESTS caps the requests of each thread (the run is bounded in time and count).
local cap = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")
local count = 0

response = function(status, headers, body)
  count = count + 1
  if cap > 0 and count >= cap then
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
