-- GET one path (the list of 50) with a bearer token.
--   wrk -s bench/wrk/get_path.lua URL -- TOKEN PATH
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
require "report"

local req

function init(args)
  if args[1] ~= "-" then
    wrk.headers["Authorization"] = "Bearer " .. args[1]
  end
  req = wrk.format("GET", args[2])
end

function request()
  return req
end
