--[[
  Applies one presence change for a device, atomically, and records it as an event.
  KEYS[1] presence hash of the device
  KEYS[2] sorted set of devices that are up
  KEYS[3] events stream
  ARGV[1] device JID (bare)      ARGV[2] "up" | "down"     ARGV[3] resource ("" = any)
  ARGV[4] reason                 ARGV[5] instance id        ARGV[6] stream max length
  ARGV[7] mode: "live" | "reconcile"
  ARGV[8] reconcile snapshot time (ms): a reconcile change is skipped when a live change came after it
  ARGV[9] transport ("xmpp" | "http")
  Returns {changed (0|1), why, timestamp}
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state')
local resource = redis.call('HGET', KEYS[1], 'resource')
local updatedAt = tonumber(redis.call('HGET', KEYS[1], 'updatedAt') or '0')
local wanted, newResource, mode = ARGV[2], ARGV[3], ARGV[7]

if mode == 'reconcile' and updatedAt >= tonumber(ARGV[8]) then
  return {0, 'newer-live-change', now}
end

if wanted == 'up' then
  if state == 'up' and resource == newResource then
    redis.call('HSET', KEYS[1], 'updatedAt', now, 'instance', ARGV[5])
    return {0, 'already-up', now}
  end
  redis.call('HSET', KEYS[1], 'state', 'up', 'resource', newResource, 'since', now, 'updatedAt', now,
    'instance', ARGV[5], 'transport', ARGV[9])
  redis.call('ZADD', KEYS[2], now, ARGV[1])
else
  if state ~= 'up' then
    return {0, 'already-down', now}
  end
  -- A late "unavailable" of an old session must not take down the session that replaced it.
  if newResource ~= '' and resource ~= newResource then
    return {0, 'stale-resource', now}
  end
  redis.call('HSET', KEYS[1], 'state', 'down', 'since', now, 'updatedAt', now, 'instance', ARGV[5])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*',
  'type', 'presence', 'device', ARGV[1], 'state', wanted, 'resource', newResource,
  'reason', ARGV[4], 'transport', ARGV[9], 'ts', now)
return {1, wanted, now}
