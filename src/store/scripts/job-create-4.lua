--[[
  Creates a job and all its tasks at once: the first maxInFlight are queued for their devices (and wake
  the dispatchers), the rest wait as "pending" until a finished task releases them.
  KEYS[1] job hash   KEYS[2] job's task list   KEYS[3] job's pending list   KEYS[4] job index (sorted set)
  ARGV[1] key prefix   ARGV[2] job id   ARGV[3] service   ARGV[4] request JSON   ARGV[5] timeout ms
  ARGV[6] max attempts   ARGV[7] max in flight (0 = all)   ARGV[8] failure ratio (-1 = none)
  ARGV[9] min finished before the ratio applies   ARGV[10] target description   ARGV[11] stream max length
  ARGV[12..] correlator, device pairs
  Returns {1, total, released} or {0, "exists"}.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, 'exists'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1]
local total = (#ARGV - 11) / 2
local window = tonumber(ARGV[7])
if window <= 0 then window = total end
local released = 0
for i = 12, #ARGV, 2 do
  local correlator, device = ARGV[i], ARGV[i + 1]
  local k = prefix .. ':task:' .. correlator
  local state = 'pending'
  if released < window then state = 'queued' end
  redis.call('HSET', k, 'correlator', correlator, 'device', device, 'service', ARGV[3], 'request', ARGV[4],
    'timeoutMs', ARGV[5], 'maxAttempts', ARGV[6], 'jobId', ARGV[2], 'state', state, 'attempts', 0,
    'createdAt', now)
  redis.call('RPUSH', KEYS[2], correlator)
  if state == 'queued' then
    released = released + 1
    redis.call('ZADD', prefix .. ':queue:' .. device, now, correlator)
    redis.call('XADD', prefix .. ':dispatch', 'MAXLEN', '~', 100000, '*', 'correlator', correlator, 'device', device)
  else
    redis.call('RPUSH', KEYS[3], correlator)
  end
end
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'service', ARGV[3], 'request', ARGV[4], 'timeoutMs', ARGV[5],
  'maxAttempts', ARGV[6], 'maxInFlight', ARGV[7], 'failureRatio', ARGV[8], 'minFinished', ARGV[9],
  'target', ARGV[10], 'state', 'running', 'total', total, 'released', released, 'succeeded', 0, 'failed', 0,
  'timed_out', 0, 'cancelled', 0, 'createdAt', now)
redis.call('ZADD', KEYS[4], now, ARGV[2])
redis.call('XADD', prefix .. ':events', 'MAXLEN', '~', ARGV[11], '*', 'type', 'job', 'job', ARGV[2],
  'state', 'running', 'total', total, 'ts', now)
if total == 0 then
  redis.call('HSET', KEYS[1], 'state', 'completed', 'finishedAt', now)
end
return {1, total, released}
