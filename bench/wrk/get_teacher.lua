-- GET /api/v1/teachers/{id}, the id cycling over the given ids (each thread from its own start).
--   wrk -s bench/wrk/get_teacher.lua URL -- TOKEN ID,ID,...
-- TOKEN may be "-" (the ceiling checks none).
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
require "report"

local requests = {}
local counter = 0

function init(args)
  if args[1] ~= "-" then
    wrk.headers["Authorization"] = "Bearer " .. args[1]
  end
  for id in string.gmatch(args[2], "%d+") do
    requests[#requests + 1] = wrk.format("GET", "/api/v1/teachers/" .. id)
  end
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end
