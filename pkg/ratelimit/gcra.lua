-- Generic cell rate algorithm (GCRA) for one key, decided atomically in Redis.
--
-- KEYS[1]  key holding the theoretical arrival time (TAT), in microseconds of Redis server time
-- ARGV[1]  emission interval in microseconds (Per / Rate; may be fractional)
-- ARGV[2]  burst: how many requests may arrive at once
-- ARGV[3]  cost: how many requests this call counts for
--
-- Returns {allowed (0|1), remaining, retry_after_us, reset_after_us}.
--
-- The clock is the Redis server's TIME, so every gateway replica shares one clock whatever its own
-- drift. Redis 7 replicates scripts by effects, which makes TIME legal before a write; the call
-- below keeps Redis 5 and 6 on effect replication too.
if redis.replicate_commands then
  redis.replicate_commands()
end

local key = KEYS[1]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

-- Work relative to now: absolute microseconds (~1.8e15) leave a double only a quarter-microsecond
-- of precision, while offsets from now stay exact enough to count requests.
local ahead = 0
local stored = tonumber(redis.call('GET', key))
if stored then
  ahead = math.max(stored - now, 0)
end

-- A request fits when the TAT it would leave is no further ahead of now than the tolerance.
local tolerance = interval * burst
local new_ahead = ahead + interval * cost
local diff = tolerance - new_ahead

if diff < 0 then
  -- Refused: the TAT stays where it was, so refusals cost nothing.
  return {0, 0, math.ceil(-diff), math.ceil(ahead)}
end

-- %.0f, not tostring: tostring prints 14 significant digits and would drop microseconds. Rounding
-- up keeps a fractional interval from ever admitting more than the limit.
redis.call('SET', key, string.format('%.0f', math.ceil(now + new_ahead)), 'PX', math.ceil(new_ahead / 1000))
-- The epsilon absorbs float residue such as 2.9999999 when an interval is not a whole microsecond.
return {1, math.floor(diff / interval + 1e-9), 0, math.ceil(new_ahead)}
