--[[
  Cancels a running job: every task not yet sent (queued or pending) is cancelled; tasks already sent
  to a device keep their chance to answer, since the device may be applying them.
  KEYS[1] job hash   KEYS[2] job's task list   KEYS[3] job's pending list
  ARGV[1] key prefix   ARGV[2] job id   ARGV[3] stream max length
  Returns {1, cancelledCount} or {0, state}.
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {0, 'unknown-job'} end
if state ~= 'running' then return {0, state} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1]
local count = 0
for _, c in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local k = prefix .. ':task:' .. c
  local s = redis.call('HGET', k, 'state')
  if s == 'queued' or s == 'pending' then
    redis.call('HSET', k, 'state', 'cancelled', 'finishedAt', now)
    redis.call('ZREM', prefix .. ':queue:' .. redis.call('HGET', k, 'device'), c)
    redis.call('RPUSH', k .. ':done', 'cancelled')
    redis.call('EXPIRE', k .. ':done', 3600)
    count = count + 1
  end
end
redis.call('DEL', KEYS[3])
redis.call('HINCRBY', KEYS[1], 'cancelled', count)
redis.call('HSET', KEYS[1], 'state', 'cancelled', 'finishedAt', now)
redis.call('XADD', prefix .. ':events', 'MAXLEN', '~', ARGV[3], '*', 'type', 'job', 'job', ARGV[2],
  'state', 'cancelled', 'ts', now)
return {1, count}
