--[[
  Puts a sent task back in its device's queue: it was not delivered (the device was gone).
  KEYS[1] task hash   KEYS[2] the device's queue   KEYS[3] deadlines
  ARGV[1] correlator  ARGV[2] reason
  Returns 1 when requeued, 0 when the task was not in "sent".
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'sent' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'queued', 'lastError', ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[2], tonumber(redis.call('HGET', KEYS[1], 'createdAt')), ARGV[1])
return 1
