-- Adds the requests one gateway replica allowed on its own since its last sync to a key's shared
-- theoretical arrival time (TAT), saturating at a full burst, and returns how far ahead of now the
-- TAT stands (microseconds): the replica adopts it, so traffic seen by the others counts against
-- its local bucket too. Same key format and clock as gcra.lua, so both can share a key.
--
-- KEYS[1]  key holding the TAT, in microseconds of Redis server time
-- ARGV[1]  emission interval in microseconds
-- ARGV[2]  burst
-- ARGV[3]  requests allowed locally since the last sync
if redis.replicate_commands then
  redis.replicate_commands()
end

local key = KEYS[1]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

local ahead = 0
local stored = tonumber(redis.call('GET', key))
if stored then
  ahead = math.max(stored - now, 0)
end
-- Saturate: requests already served cannot be refused any more; a full bucket is all the others
-- need to know.
local new_ahead = math.min(ahead + interval * cost, interval * burst)
if new_ahead > 0 then
  redis.call('SET', key, string.format('%.0f', math.ceil(now + new_ahead)), 'PX', math.max(math.ceil(new_ahead / 1000), 1))
end
return math.ceil(new_ahead)
