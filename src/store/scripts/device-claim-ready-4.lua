--[[
  One round trip for a dispatcher: if the device is up on this transport, claims every task of its queue
  that may go now (queued, past any retry backoff) for this instance, arms their deadlines, and returns
  what the stanzas need.
  KEYS[1] presence hash of the device   KEYS[2] the device's queue   KEYS[3] deadlines
  KEYS[4] the device's record (for its UDI)
  ARGV[1] key prefix   ARGV[2] instance id   ARGV[3] transport   ARGV[4] most tasks to claim
  Returns {} when the device is not up here, else {resource, udi, {correlator, service, request, attempts}...}
]]
local p = redis.call('HMGET', KEYS[1], 'state', 'transport', 'resource')
if p[1] ~= 'up' or p[2] ~= ARGV[3] then return {} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {p[3] or '', redis.call('HGET', KEYS[4], 'udi') or ''}
local ready = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
for _, c in ipairs(ready) do
  local k = ARGV[1] .. ':task:' .. c
  local f = redis.call('HMGET', k, 'state', 'timeoutMs', 'service', 'request')
  redis.call('ZREM', KEYS[2], c)
  if f[1] == 'queued' then
    local attempts = redis.call('HINCRBY', k, 'attempts', 1)
    redis.call('HSET', k, 'state', 'sent', 'sentAt', now, 'instance', ARGV[2])
    redis.call('ZADD', KEYS[3], now + tonumber(f[2]), c)
    table.insert(out, {c, f[3], f[4], attempts})
  end
end
return out
