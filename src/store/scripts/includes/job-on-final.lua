-- Shared by every script that moves a task to a final state. Expects in scope:
--   prefix (the hash-tagged key prefix), taskKey, finalState, now, streamMaxLen.
-- Updates the task's job: counters, the canary bound, releasing the next pending task, completion.
local function jobOnFinal(prefix, taskKey, finalState, now, streamMaxLen)
  local jobId = redis.call('HGET', taskKey, 'jobId')
  if not jobId or jobId == '' then return end
  local jobKey = prefix .. ':job:' .. jobId
  if redis.call('EXISTS', jobKey) == 0 then return end
  redis.call('HINCRBY', jobKey, finalState, 1)
  local j = redis.call('HMGET', jobKey, 'state', 'total', 'succeeded', 'failed', 'timed_out', 'cancelled',
    'failureRatio', 'minFinished')
  local state = j[1]
  if state == 'running' then
    local finished = tonumber(j[3]) + tonumber(j[4]) + tonumber(j[5])
    local bad = tonumber(j[4]) + tonumber(j[5])
    local ratio = tonumber(j[7])
    if ratio >= 0 and finished >= tonumber(j[8]) and bad / finished > ratio then
      -- Canary bound passed: stop; cancel every task not sent yet (queued or pending). Sent ones may
      -- still answer: the device may be applying them.
      redis.call('HSET', jobKey, 'state', 'stopped', 'finishedAt', now,
        'stoppedReason', string.format('failure ratio %d/%d above %s', bad, finished, j[7]))
      local cancelled = 0
      for _, c in ipairs(redis.call('LRANGE', prefix .. ':job:' .. jobId .. ':tasks', 0, -1)) do
        local k = prefix .. ':task:' .. c
        local s = redis.call('HGET', k, 'state')
        if s == 'queued' or s == 'pending' then
          redis.call('HSET', k, 'state', 'cancelled', 'finishedAt', now, 'lastError', 'job stopped')
          redis.call('ZREM', prefix .. ':queue:' .. redis.call('HGET', k, 'device'), c)
          redis.call('RPUSH', k .. ':done', 'cancelled')
          redis.call('EXPIRE', k .. ':done', 3600)
          cancelled = cancelled + 1
        end
      end
      redis.call('HINCRBY', jobKey, 'cancelled', cancelled)
      redis.call('DEL', prefix .. ':job:' .. jobId .. ':pending')
      redis.call('XADD', prefix .. ':events', 'MAXLEN', '~', streamMaxLen, '*', 'type', 'job', 'job', jobId,
        'state', 'stopped', 'ts', now)
      return
    end
    local nextCorrelator = redis.call('LPOP', prefix .. ':job:' .. jobId .. ':pending')
    if nextCorrelator then
      local k = prefix .. ':task:' .. nextCorrelator
      local device = redis.call('HGET', k, 'device')
      redis.call('HSET', k, 'state', 'queued')
      redis.call('ZADD', prefix .. ':queue:' .. device, now, nextCorrelator)
      redis.call('XADD', prefix .. ':dispatch', 'MAXLEN', '~', 100000, '*', 'correlator', nextCorrelator,
        'device', device)
      redis.call('HINCRBY', jobKey, 'released', 1)
    end
  end
  local c = redis.call('HMGET', jobKey, 'state', 'total', 'succeeded', 'failed', 'timed_out', 'cancelled')
  if c[1] == 'running' and tonumber(c[3]) + tonumber(c[4]) + tonumber(c[5]) + tonumber(c[6]) >= tonumber(c[2]) then
    redis.call('HSET', jobKey, 'state', 'completed', 'finishedAt', now)
    redis.call('XADD', prefix .. ':events', 'MAXLEN', '~', streamMaxLen, '*', 'type', 'job', 'job', jobId,
      'state', 'completed', 'ts', now)
  end
end
