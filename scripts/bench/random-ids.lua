-- wrk script for scripts/bench/lib.sh's load: every request goes to the URL's path followed by a random id,
-- BENCH_ID_PREFIX0001 .. BENCH_ID_PREFIX<BENCH_ID_COUNT> (e.g. /getEventsByUserId/dk0042), so that a run asks for
-- many different keys instead of one.
local prefix = os.getenv("BENCH_ID_PREFIX")
local count = tonumber(os.getenv("BENCH_ID_COUNT"))
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  -- Each wrk thread has its own Lua state: seed each differently so that they do not ask for the same sequence.
  math.randomseed(os.time() * 1000 + seed)
end

function request()
  return wrk.format(nil, wrk.path .. string.format("%s%04d", prefix, math.random(count)))
end
