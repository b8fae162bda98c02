-- Claims an idempotency record, or reports why it cannot be claimed.
--
-- KEYS[1]  the record: a hash with state ("locked" | "done"), fp, and once done status, header, body
-- KEYS[2]  the scope's counter of records claimed in the current window
-- ARGV[1]  the request's fingerprint
-- ARGV[2]  lock time-to-live in milliseconds
-- ARGV[3]  the most records a scope may claim per window
-- ARGV[4]  the window (the records' time-to-live) in milliseconds
--
-- Returns {"proceed"} | {"in_progress"} | {"mismatch"} | {"exhausted"} | {"replay", status, header, body}.
local key = KEYS[1]
local rec = redis.call('HMGET', key, 'state', 'fp')
local state, fp = rec[1], rec[2]

if not state then
  -- A new record counts against the scope's cap; at the cap nothing is claimed.
  local n = tonumber(redis.call('GET', KEYS[2]) or '0')
  if n >= tonumber(ARGV[3]) then
    return {'exhausted'}
  end
  if redis.call('INCR', KEYS[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2], ARGV[4])
  end
  redis.call('HSET', key, 'state', 'locked', 'fp', ARGV[1])
  redis.call('PEXPIRE', key, ARGV[2])
  return {'proceed'}
end
-- The fingerprint is checked before the lock: reusing a key for another request is the client's
-- mistake whether or not the first request has finished, and 422 says so; 409 would invite a retry.
if fp ~= ARGV[1] then
  return {'mismatch'}
end
if state ~= 'done' then
  return {'in_progress'}
end
local resp = redis.call('HMGET', key, 'status', 'header', 'body')
return {'replay', resp[1], resp[2], resp[3]}
