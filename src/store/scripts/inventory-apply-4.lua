--[[
  Every write to the device inventory goes through this one script, so the secondary indexes are
  maintained in one place: unindex the old record, index the new one, in one atomic step.

  KEYS[1] device hash          KEYS[2] sorted set of all device ids (score 0: lexicographic cursors)
  KEYS[3] audit stream         KEYS[4] events stream
  ARGV[1] index key base, e.g. "{pnp}:inv:". Index keys are built from it: <base>tag:<tag>, <base>tags,
          <base>pid:<pid>, <base>pids, <base>loc:<path> (one per path prefix), <base>state:<state>.
          They share the hash tag of KEYS, so the script stays within one Redis Cluster slot.
  ARGV[2] operation: upsert | delete | tags | claim | unclaim | state | seen | results
  ARGV[3] device id            ARGV[4] stream max length
  ARGV[5] "1" = dry run: report the outcome, write nothing (upsert)
  ARGV[6] reason (audit)       ARGV[7…] field/value pairs, per operation (see each branch)

  Tags are stored comma-joined, sorted (tags never contain commas); variables and lastResults are JSON text
  written by the caller in canonical form, so equal values compare equal as text.
]]
local base, op, id, maxlen, dry, reason = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1', ARGV[6]
local t = redis.call('TIME')
local now = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))

local args = {}
for i = 7, #ARGV, 2 do args[ARGV[i]] = ARGV[i + 1] end

local function load()
  local flat = redis.call('HGETALL', KEYS[1])
  if #flat == 0 then return nil end
  local rec = {}
  for i = 1, #flat, 2 do rec[flat[i]] = flat[i + 1] end
  return rec
end

local function copy(rec)
  local c = {}
  for k, v in pairs(rec) do c[k] = v end
  return c
end

local function fresh(state, claimed)
  return { id = id, serial = string.upper(id), pid = '', vid = '', udi = '', mac = '', hostname = '',
    tags = '', location = '', variables = '{}', state = state, claimed = claimed, lastSeen = '',
    seenPid = '', seenHostname = '', lastResults = '', error = '', unclaimReason = '',
    stateAt = now, createdAt = now, updatedAt = now }
end

local function splitTags(s)
  local out = {}
  if s == nil or s == '' then return out end
  for part in string.gmatch(s, '[^,]+') do out[#out + 1] = part end
  return out
end

local function joinTags(set)
  local list = {}
  for tag in pairs(set) do list[#list + 1] = tag end
  table.sort(list)
  return table.concat(list, ',')
end

local function locationPrefixes(location)
  local out = {}
  if location == nil or location == '' then return out end
  local acc = ''
  for segment in string.gmatch(location, '[^/]+') do
    if acc == '' then acc = segment else acc = acc .. '/' .. segment end
    out[#out + 1] = acc
  end
  return out
end

local function unindex(rec)
  local pid = rec.pid or ''
  if pid ~= '' then
    local key = base .. 'pid:' .. pid
    redis.call('SREM', key, id)
    if redis.call('SCARD', key) == 0 then redis.call('SREM', base .. 'pids', pid) end
  end
  for _, tag in ipairs(splitTags(rec.tags)) do
    local key = base .. 'tag:' .. tag
    redis.call('SREM', key, id)
    if redis.call('SCARD', key) == 0 then redis.call('SREM', base .. 'tags', tag) end
  end
  for _, prefix in ipairs(locationPrefixes(rec.location)) do
    redis.call('SREM', base .. 'loc:' .. prefix, id)
  end
  if rec.state ~= nil and rec.state ~= '' then redis.call('SREM', base .. 'state:' .. rec.state, id) end
end

local function index(rec)
  if rec.pid ~= '' then
    redis.call('SADD', base .. 'pid:' .. rec.pid, id)
    redis.call('SADD', base .. 'pids', rec.pid)
  end
  for _, tag in ipairs(splitTags(rec.tags)) do
    redis.call('SADD', base .. 'tag:' .. tag, id)
    redis.call('SADD', base .. 'tags', tag)
  end
  for _, prefix in ipairs(locationPrefixes(rec.location)) do
    redis.call('SADD', base .. 'loc:' .. prefix, id)
  end
  redis.call('SADD', base .. 'state:' .. rec.state, id)
end

local function save(old, new)
  if old ~= nil then unindex(old) end
  index(new)
  local flat = {}
  for k, v in pairs(new) do
    flat[#flat + 1] = k
    flat[#flat + 1] = v
  end
  redis.call('HSET', KEYS[1], unpack(flat))
  redis.call('ZADD', KEYS[2], 0, id)
end

local function audit(kind, from, to, extra)
  local fields = { 'kind', kind, 'id', id, 'reason', reason, 'from', from, 'to', to, 'ts', now }
  if extra ~= nil then
    for _, v in ipairs(extra) do fields[#fields + 1] = v end
  end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', maxlen, '*', unpack(fields))
end

local function event(change, state, from)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 'type', 'inventory', 'id', id, 'change', change,
    'state', state, 'from', from or '', 'ts', now)
end

-- The UDI formatted from the plan, until the device reports its own.
local function planUdi(rec)
  if rec.lastSeen == '' and rec.pid ~= '' then
    rec.udi = 'PID:' .. rec.pid .. ',VID:' .. rec.vid .. ',SN:' .. rec.serial
  end
end

-- Applies the given plan fields; returns the list of fields that changed.
local PLAN_FIELDS = { 'serial', 'pid', 'vid', 'mac', 'hostname', 'tags', 'location', 'variables' }
local function applyPlan(rec)
  local changes = {}
  for _, field in ipairs(PLAN_FIELDS) do
    local value = args[field]
    if value ~= nil and (rec[field] or '') ~= value then
      rec[field] = value
      changes[#changes + 1] = field
    end
  end
  return changes
end

if op == 'upsert' then
  -- ARGV pairs: serial, and any of pid vid mac hostname tags location variables.
  -- Returns {outcome (created|updated|unchanged), changed fields comma-joined}.
  local old = load()
  local new = old and copy(old) or fresh('planned', '1')
  local changes = applyPlan(new)
  local claiming = old ~= nil and old.claimed ~= '1'
  if claiming then
    new.claimed, new.state, new.stateAt, new.unclaimReason, new.error = '1', 'planned', now, '', ''
    changes[#changes + 1] = 'claimed'
  end
  local outcome = 'unchanged'
  if old == nil then outcome = 'created' elseif #changes > 0 then outcome = 'updated' end
  if dry or outcome == 'unchanged' then return { outcome, table.concat(changes, ',') } end
  planUdi(new)
  new.updatedAt = now
  save(old, new)
  if old == nil then
    event('created', 'planned')
  elseif claiming then
    audit('claim', old.state, 'planned')
    event('claimed', 'planned', old.state)
  end
  return { outcome, table.concat(changes, ',') }
end

if op == 'seen' then
  -- ARGV pairs: at (ms), udi, pid, vid, hostname (each may be ""). Creates an unclaimed device when there
  -- is none. A report older than lastSeen changes nothing. The reported PID is kept in seenPid; it also
  -- becomes the PID of an unclaimed device, while a claimed device keeps its planned PID.
  -- Returns {created 0|1, state, claimed 0|1, planned PID when the reported one differs, else ""}.
  local old = load()
  if old ~= nil and old.lastSeen ~= '' and tonumber(args.at) < tonumber(old.lastSeen) then
    local mismatch = ''
    if old.claimed == '1' and (old.seenPid or '') ~= '' and string.upper(old.seenPid) ~= string.upper(old.pid) then
      mismatch = old.pid
    end
    return { 0, old.state, old.claimed, mismatch }
  end
  local new = old and copy(old) or fresh('unclaimed', '0')
  new.lastSeen = args.at
  if args.udi ~= '' then new.udi = args.udi end
  if args.vid ~= '' then new.vid = args.vid end
  local mismatch = ''
  if args.pid ~= '' then
    new.seenPid = args.pid
    if new.pid == '' or new.claimed ~= '1' then
      new.pid = args.pid
    elseif string.upper(new.pid) ~= string.upper(args.pid) then
      mismatch = new.pid
    end
  end
  if args.hostname ~= '' then new.seenHostname = args.hostname end
  new.updatedAt = now
  save(old, new)
  if old == nil then
    event('discovered', 'unclaimed')
  elseif (old.udi or '') ~= (new.udi or '') or (old.seenPid or '') ~= (new.seenPid or '')
      or (old.seenHostname or '') ~= (new.seenHostname or '') then
    -- What the device reports about itself changed (first device-info, new hostname, swapped chassis).
    event('reported', new.state)
  end
  local created = 0
  if old == nil then created = 1 end
  return { created, new.state, new.claimed, mismatch }
end

local old = load()
if old == nil then return { 0, 'not-found' } end

if op == 'delete' then
  -- Returns {1, previous state}.
  unindex(old)
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], id)
  audit('delete', old.state, '')
  event('deleted', '', old.state)
  return { 1, old.state }
end

if op == 'tags' then
  -- ARGV pairs: mode (set|add|remove), tags (comma-joined). Returns {1, tags after, changed 0|1}.
  local set = {}
  if args.mode ~= 'set' then
    for _, tag in ipairs(splitTags(old.tags)) do set[tag] = true end
  end
  for _, tag in ipairs(splitTags(args.tags)) do
    if args.mode == 'remove' then set[tag] = nil else set[tag] = true end
  end
  local tags = joinTags(set)
  if tags == (old.tags or '') then return { 1, tags, 0 } end
  local new = copy(old)
  new.tags, new.updatedAt = tags, now
  save(old, new)
  return { 1, tags, 1 }
end

if op == 'claim' then
  -- ARGV pairs: any of pid location tags variables hostname.
  -- Returns {1, claimed|already-claimed, changed fields}. Already claimed: fields apply, state stays.
  local new = copy(old)
  local changes = applyPlan(new)
  if old.claimed == '1' then
    if #changes == 0 then return { 1, 'already-claimed', '' } end
    planUdi(new)
    new.updatedAt = now
    save(old, new)
    return { 1, 'already-claimed', table.concat(changes, ',') }
  end
  new.claimed, new.state, new.stateAt, new.unclaimReason, new.error, new.updatedAt = '1', 'planned', now, '', '', now
  planUdi(new)
  save(old, new)
  audit('claim', old.state, 'planned')
  event('claimed', 'planned', old.state)
  return { 1, 'claimed', table.concat(changes, ',') }
end

if op == 'unclaim' then
  -- The plan (location, tags, variables, hostname) is cleared and kept in the audit entry; the
  -- hardware facts (serial, PID, VID, UDI, MAC) stay. A provisioning device cannot be unclaimed.
  -- Returns {1, unclaimed|already-unclaimed} or {0, busy}.
  if old.claimed ~= '1' then return { 1, 'already-unclaimed' } end
  if old.state == 'provisioning' then return { 0, 'busy' } end
  local plan = cjson.encode({ pid = old.pid, location = old.location, tags = old.tags,
    variables = old.variables, hostname = old.hostname, state = old.state })
  local new = copy(old)
  new.claimed, new.state, new.stateAt, new.unclaimReason, new.updatedAt = '0', 'unclaimed', now, reason, now
  new.location, new.tags, new.variables, new.hostname, new.error = '', '', '{}', '', ''
  if (new.seenPid or '') ~= '' then new.pid = new.seenPid end
  save(old, new)
  audit('unclaim', old.state, 'unclaimed', { 'plan', plan })
  event('unclaimed', 'unclaimed', old.state)
  return { 1, 'unclaimed' }
end

if op == 'state' then
  -- ARGV pairs: state, error. Only claimed devices move (unclaimed is reached through unclaim).
  -- Returns {1, changed|unchanged, previous state} or {0, not-claimed}.
  if old.claimed ~= '1' then return { 0, 'not-claimed', old.state } end
  local err = ''
  if args.state == 'error' then err = args.error or '' end
  if old.state == args.state and (old.error or '') == err then return { 1, 'unchanged', old.state } end
  local new = copy(old)
  if old.state ~= args.state then new.stateAt = now end
  new.state, new.error, new.updatedAt = args.state, err, now
  save(old, new)
  event('state', args.state, old.state)
  return { 1, 'changed', old.state }
end

if op == 'results' then
  -- ARGV pairs: lastResults (JSON). No index changes.
  redis.call('HSET', KEYS[1], 'lastResults', args.lastResults, 'updatedAt', now)
  return { 1, 'ok' }
end

return redis.error_reply('ERR unknown inventory operation ' .. op)
