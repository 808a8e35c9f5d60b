--[[
  Creates a queued task unless its correlator exists (creation is idempotent), queues it for its device
  and wakes the dispatchers.
  KEYS[1] task hash   KEYS[2] the device's queue (sorted set)   KEYS[3] dispatch stream
  ARGV[1] correlator  ARGV[2] device  ARGV[3] service  ARGV[4] request JSON
  ARGV[5] timeout ms  ARGV[6] max attempts  ARGV[7] job id ("" = none)
  Returns 1 when created, 0 when it already existed.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'correlator', ARGV[1], 'device', ARGV[2], 'service', ARGV[3], 'request', ARGV[4],
  'timeoutMs', ARGV[5], 'maxAttempts', ARGV[6], 'jobId', ARGV[7], 'state', 'queued', 'attempts', 0, 'createdAt', now)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 100000, '*', 'correlator', ARGV[1], 'device', ARGV[2])
return 1
