--[[
  Handles one sent task whose deadline passed: queued again after a backoff while attempts remain,
  else timed out (which counts for its job).
  KEYS[1] task hash   KEYS[2] deadlines   KEYS[3] the device's queue   KEYS[4] events stream
  KEYS[5] done list   KEYS[6] retry schedule (sorted set: correlator by the time it may go again)
  ARGV[1] correlator  ARGV[2] stream max length  ARGV[3] key prefix  ARGV[4] base retry backoff ms
  Returns {1, "retried" | "timed_out"} or {0, reason}.
]]
--@include job-on-final
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or '-1')
if deadline < 0 then return {0, 'no-deadline'} end
if deadline > now then return {0, 'not-due'} end
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'state') ~= 'sent' then return {0, 'not-sent'} end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts'))
local maxAttempts = tonumber(redis.call('HGET', KEYS[1], 'maxAttempts'))
if attempts < maxAttempts then
  -- Exponential backoff: base, 2×base, 4×base… The same correlator goes again (idempotency key).
  local notBefore = now + tonumber(ARGV[4]) * (2 ^ (attempts - 1))
  redis.call('HSET', KEYS[1], 'state', 'queued', 'lastError', 'timeout')
  redis.call('ZADD', KEYS[3], notBefore, ARGV[1])
  redis.call('ZADD', KEYS[6], notBefore, ARGV[1])
  return {1, 'retried'}
end
redis.call('HSET', KEYS[1], 'state', 'timed_out', 'finishedAt', now)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'task', 'correlator', ARGV[1],
  'device', redis.call('HGET', KEYS[1], 'device'), 'service', redis.call('HGET', KEYS[1], 'service'),
  'state', 'timed_out', 'errorCode', 'PNP_TASK_TIMEOUT', 'job', redis.call('HGET', KEYS[1], 'jobId') or '', 'ts', now)
if (redis.call('HGET', KEYS[1], 'jobId') or '') == '' then
  redis.call('RPUSH', KEYS[5], 'timed_out')
  redis.call('EXPIRE', KEYS[5], 3600)
end
jobOnFinal(ARGV[3], KEYS[1], 'timed_out', now, ARGV[2])
return {1, 'timed_out'}
