-- Stores the response of a request that held (or held and lost) the record's lock.
--
-- KEYS[1]  the record (see begin.lua)
-- ARGV[1]  the request's fingerprint
-- ARGV[2]  response time-to-live in milliseconds
-- ARGV[3]  status code
-- ARGV[4]  header, JSON
-- ARGV[5]  body
--
-- Returns 1 when the record holds this fingerprint's response afterwards, 0 when the key belongs to
-- a request with another fingerprint (nothing stored).
local key = KEYS[1]
local rec = redis.call('HMGET', key, 'state', 'fp')
local state, fp = rec[1], rec[2]

if state and fp ~= ARGV[1] then
  return 0
end
if state == 'done' then
  -- First response wins, so every replay a client ever sees is the same.
  return 1
end
-- Locked by this request, or the lock expired meanwhile: the request did run, so keep its result.
redis.call('HSET', key, 'state', 'done', 'fp', ARGV[1], 'status', ARGV[3], 'header', ARGV[4], 'body', ARGV[5])
redis.call('PEXPIRE', key, ARGV[2])
return 1
