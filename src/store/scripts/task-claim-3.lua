--[[
  Moves a queued task to "sent" for one instance and arms its deadline. Only one claimer wins.
  KEYS[1] task hash   KEYS[2] the device's queue   KEYS[3] deadlines (sorted set)
  ARGV[1] correlator  ARGV[2] instance id
  Returns {1, attempts} when claimed, {0, state} otherwise.
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {0, 'missing'}
end
if state ~= 'queued' then return {0, state} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local timeout = tonumber(redis.call('HGET', KEYS[1], 'timeoutMs'))
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'sent', 'sentAt', now, 'instance', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], now + timeout, ARGV[1])
return {1, attempts}
