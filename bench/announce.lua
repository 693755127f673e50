-- wrk script: BitTorrent announces spread over many swarms, for the node and for opentracker.
--
--   wrk -t2 -c50 -d15s -s bench/announce.lua http://127.0.0.1:6969 -- HASHES [close|keepalive]
--
-- HASHES is a file of info hashes, 40 hex digits a line (the same file serves as opentracker's
-- whitelist). Every request names another swarm (a prime stride through the list, so each pass
-- visits every swarm once unless the list length is a multiple of 7919) and a new peer_id; each
-- pass over the list uses a new port, so every announce of a pass adds a peer and swarms grow by
-- one peer per pass and thread. One announce in four is a seeder (left=0), varying by pass so
-- that every swarm mixes seeders and leechers. Requests ask compact=1 (opentracker answers nothing
-- else) and numwant=50.
--
-- "close" (the default) sends Connection: close, one request per connection; "keepalive" reuses
-- connections. Every reply is checked: status 200 and a body without "failure reason" that has
-- a peers key; done() prints the counts on a line starting with "announce.lua:".

local hashes = {}
local count = 0
tid = 0 -- set per thread by setup()
local n = 0
local tail = ""
ok = 0
failures = 0
bad_status = 0
no_peers = 0

local threads = {}
local next_tid = 0

function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
   table.insert(threads, thread)
end

local function encode(hex)
   local parts = {}
   for i = 1, 39, 2 do
      parts[#parts + 1] = "%" .. string.upper(string.sub(hex, i, i + 1))
   end
   return table.concat(parts)
end

function init(args)
   local file = args[1] or os.getenv("ANNOUNCE_HASHES")
   if not file then
      error("announce.lua needs the info hash file: wrk ... -s announce.lua URL -- HASHES [close|keepalive]")
   end
   for line in io.lines(file) do
      local hex = string.match(line, "^%s*(%x+)%s*$")
      if hex and #hex == 40 then
         hashes[#hashes + 1] = encode(hex)
      end
   end
   count = #hashes
   if count == 0 then
      error("no info hashes in " .. file)
   end
   local mode = args[2] or "close"
   local host = wrk.headers["Host"] or (wrk.host .. ":" .. tostring(wrk.port))
   tail = "&uploaded=0&downloaded=0&compact=1&numwant=50 HTTP/1.1\r\nHost: " .. host .. "\r\n"
   if mode == "close" then
      tail = tail .. "Connection: close\r\n"
   end
   tail = tail .. "User-Agent: ctracker-bench\r\n\r\n"
end

function request()
   local i = n
   n = n + 1
   -- stride 7919 (prime) walks every swarm once per pass; threads start at different offsets
   local swarm = (i * 7919 + tid * 4999) % count
   local pass = math.floor(i / count)
   local port = 1025 + (pass * 8 + tid) % 64000
   local left = ((i + pass) % 4 == 0) and "0" or "1048576"
   return "GET /announce?info_hash=" .. hashes[swarm + 1]
      .. "&peer_id=-CT0001-" .. string.format("%02d%010d", tid % 100, i % 10000000000)
      .. "&port=" .. port .. "&left=" .. left .. tail
end

function response(status, headers, body)
   if status ~= 200 then
      bad_status = bad_status + 1
   elseif string.find(body, "failure reason", 1, true) then
      failures = failures + 1
   elseif not string.find(body, "5:peers", 1, true) then
      no_peers = no_peers + 1
   else
      ok = ok + 1
   end
end

function done(summary, latency, requests)
   local t_ok, t_fail, t_status, t_nopeers = 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      t_ok = t_ok + thread:get("ok")
      t_fail = t_fail + thread:get("failures")
      t_status = t_status + thread:get("bad_status")
      t_nopeers = t_nopeers + thread:get("no_peers")
   end
   local e = summary.errors
   io.write(string.format(
      "announce.lua: requests=%d ok=%d failure_reason=%d non_200=%d no_peers_key=%d "
      .. "socket_errors(connect=%d read=%d write=%d timeout=%d) rate=%.1f/s\n",
      summary.requests, t_ok, t_fail, t_status, t_nopeers, e.connect, e.read, e.write, e.timeout,
      summary.requests / (summary.duration / 1e6)))
end
