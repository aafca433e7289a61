-- POST /api/v1/observations with valid bodies: observer and observed teacher, day and period vary
-- with a per-thread counter, so that no two requests of a run are the same observation.
--   wrk -s bench/wrk/post_observation.lua URL -- TOKEN ID,ID,... FIRST_DAY_EPOCH DAYS
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
require "report"

local ids = {}
local counter = 0
local first_day, days
local threads = 0

function setup(thread)
  thread:set("thread_no", threads)
  threads = threads + 1
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  for id in string.gmatch(args[2], "%d+") do
    ids[#ids + 1] = id
  end
  first_day = tonumber(args[3])
  days = tonumber(args[4])
  counter = (tonumber(thread_no) or 0) * 7919
end

function request()
  counter = counter + 1
  local n = #ids
  local observer = ids[counter % n + 1]
  local observed = ids[(counter + 1 + math.floor(counter / n) % (n - 1)) % n + 1]
  if observed == observer then
    observed = ids[(counter + 1) % n + 1]
  end
  local day = os.date("!%Y-%m-%d", first_day + 86400 * (counter % days))
  local body = string.format(
    '{"observer_teacher_id":%s,"observed_teacher_id":%s,"observed_on":"%s","subject":"语文",' ..
    '"lesson_kind":"ordinary","period":%d,"grade":%d,"lesson_title":"bench %d"}',
    observer, observed, day, counter % 8 + 1, counter % 6 + 1, counter)
  return wrk.format("POST", "/api/v1/observations", nil, body)
end
