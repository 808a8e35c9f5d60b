--[[
  Records a device's answer to a task. Rejects answers from another device, answers to unknown
  correlators, and second answers (the first result stands: at-least-once delivery, one recorded result).
  KEYS[1] task hash   KEYS[2] deadlines   KEYS[3] events stream   KEYS[4] the task's done list
  KEYS[5] the answering device's queue   KEYS[6] the device's record
  ARGV[1] correlator  ARGV[2] answering device  ARGV[3] "succeeded" | "failed"
  ARGV[4] result JSON  ARGV[5] error code  ARGV[6] stream max length  ARGV[7] key prefix
  ARGV[8] device-info JSON to record on the device ("" = none)  ARGV[9] the device's UDI ("" = none)
  Returns {1, state} when recorded, {0, reason, state} otherwise.
]]
--@include job-on-final
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {0, 'unknown-correlator', ''} end
if redis.call('HGET', KEYS[1], 'device') ~= ARGV[2] then return {0, 'wrong-device', state} end
if state == 'succeeded' or state == 'failed' or state == 'timed_out' or state == 'cancelled' then
  return {0, 'already-final', state}
end
if state == 'pending' then return {0, 'not-sent', state} end
-- A late answer to a task that was put back in the queue (the device reconnected) still counts.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'result', ARGV[4], 'finishedAt', now)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
local device = redis.call('HGET', KEYS[1], 'device')
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'type', 'task', 'correlator', ARGV[1],
  'device', device, 'service', redis.call('HGET', KEYS[1], 'service'), 'state', ARGV[3],
  'errorCode', ARGV[5], 'job', redis.call('HGET', KEYS[1], 'jobId') or '', 'ts', now)
-- The done list wakes a waiter on one task (askDevice); a job's tasks are followed through its events.
if (redis.call('HGET', KEYS[1], 'jobId') or '') == '' then
  redis.call('RPUSH', KEYS[4], ARGV[3])
  redis.call('EXPIRE', KEYS[4], 3600)
end
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[6], 'deviceInfo', ARGV[8], 'deviceInfoAt', now)
end
if ARGV[9] ~= '' then redis.call('HSET', KEYS[6], 'udi', ARGV[9]) end
jobOnFinal(ARGV[7], KEYS[1], ARGV[3], now, ARGV[6])
return {1, ARGV[3]}
