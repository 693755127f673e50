#!/usr/bin/env python3
"""Peers and measurements for bench/locality-experiment.sh (run inside a region's namespace).

  locality_peers.py announce --region R --trackers URL,URL --count N --hash HEX --out FILE
      N peers of the swarm announce (event=started) from this region's addresses 10.77.R.3..21,
      alternating between the region's trackers; one JSON line per peer: ip, port, region.
  locality_peers.py ask --region R --trackers URL,URL --count N --numwant K --hash HEX --out FILE
      N new requesters announce and record the peers they are handed.
  locality_peers.py rtt --region R --targets HOST:PORT,... --out FILE
      Median TCP connect time (20 tries) from this region to each target: the RTTs as measured.
  locality_peers.py report --peers F,.. --asks F,.. --rtt F,.. --numwant K
      Median and p90 RTT to handed peers against a random choice and the oracle, same-region share.
"""
import argparse, http.client, json, random, socket, statistics, sys, time, urllib.parse


def source(region, i):
    return f'10.77.{region}.{3 + i % 19}'


def announce_once(tracker, src, info_hash, peer_id, port, numwant, event):
    u = urllib.parse.urlsplit(tracker)
    q = ('info_hash=' + urllib.parse.quote_from_bytes(info_hash) + '&peer_id=' + urllib.parse.quote_from_bytes(peer_id)
         + f'&port={port}&uploaded=0&downloaded=0&left=1000&compact=1&numwant={numwant}'
         + (f'&event={event}' if event else ''))
    for attempt in range(5):
        try:
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=10, source_address=(src, 0))
            c.request('GET', '/announce?' + q)
            body = c.getresponse().read()
            c.close()
            return body
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f'announce to {tracker} from {src} failed five times')


def compact_peers(body):
    # the bencoded reply's "5:peers" string, compact IPv4
    i = body.find(b'5:peers')
    if i < 0:
        raise SystemExit('no peers in reply: ' + body[:200].decode('latin1'))
    j = body.index(b':', i + 7)
    n = int(body[i + 7:j])
    raw = body[j + 1:j + 1 + n]
    return [f'{raw[k]}.{raw[k + 1]}.{raw[k + 2]}.{raw[k + 3]}:{raw[k + 4] << 8 | raw[k + 5]}' for k in range(0, n - n % 6, 6)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('cmd')
    p.add_argument('--region', type=int)
    p.add_argument('--trackers')
    p.add_argument('--targets')
    p.add_argument('--count', type=int, default=0)
    p.add_argument('--numwant', type=int, default=50)
    p.add_argument('--hash')
    p.add_argument('--out')
    p.add_argument('--peers')
    p.add_argument('--asks')
    p.add_argument('--rtt')
    p.add_argument('--first', type=int, default=0)
    a = p.parse_args()
    if a.cmd == 'announce' or a.cmd == 'ask':
        trackers = a.trackers.split(',')
        info_hash = bytes.fromhex(a.hash)
        with open(a.out, 'w') as out:
            for i in range(a.count):
                n = a.first + i
                src = source(a.region, n)
                port = 20000 + n
                peer_id = b'-LX0001-' + f'{a.region:02d}{n:010d}'.encode()
                body = announce_once(trackers[i % len(trackers)], src, info_hash, peer_id, port,
                                     0 if a.cmd == 'announce' else a.numwant, 'started')
                rec = {'ip': src, 'port': port, 'region': a.region}
                if a.cmd == 'ask':
                    rec['handed'] = compact_peers(body)
                out.write(json.dumps(rec) + '\n')
    elif a.cmd == 'rtt':
        res = {}
        for t in a.targets.split(','):
            host, port = t.split(':')
            samples = []
            for _ in range(20):
                s = socket.socket()
                s.settimeout(5)
                s.bind((source(a.region, 0), 0))
                t0 = time.monotonic()
                s.connect((host, int(port)))
                samples.append((time.monotonic() - t0) * 1000)
                s.close()
            res[host] = statistics.median(samples)
        with open(a.out, 'w') as out:
            json.dump({'region': a.region, 'rttMs': res}, out)
    elif a.cmd == 'report':
        report(a)
    else:
        raise SystemExit('unknown command ' + a.cmd)


def region_of(ip):
    return int(ip.split('.')[2])


def report(a):
    peers = [json.loads(l) for f in a.peers.split(',') for l in open(f)]
    asks = [json.loads(l) for f in a.asks.split(',') for l in open(f)]
    rtt = {}
    for f in a.rtt.split(','):
        r = json.load(open(f))
        for host, ms in r['rttMs'].items():
            rtt[(r['region'], region_of(host))] = ms
    everyone = [(p['ip'], p['port']) for p in peers] + [(q['ip'], q['port']) for q in asks]
    rnd = random.Random(20261201)
    handed_m, random_m, oracle_m, same, handed_n = [], [], [], [], []
    for q in asks:
        me = q['region']
        handed = [h.rsplit(':', 1) for h in q['handed']]
        if not handed:
            continue
        handed_n.append(len(handed))
        to = [rtt[(me, region_of(ip))] for ip, _ in handed]
        handed_m.append(statistics.median(to))
        same.append(sum(1 for ip, _ in handed if region_of(ip) == me) / len(handed))
        others = [e for e in everyone if e != (q['ip'], q['port'])]
        pick = rnd.sample(others, min(a.numwant, len(others)))
        random_m.append(statistics.median(rtt[(me, region_of(ip))] for ip, _ in pick))
        nearest = sorted(rtt[(me, region_of(ip))] for ip, _ in others)[:a.numwant]
        oracle_m.append(statistics.median(nearest))

    def q(v, f):
        v = sorted(v)
        return v[min(len(v) - 1, int(f * (len(v) - 1) + 0.5))]

    regions = sorted({r for r, _ in rtt})
    print('measured RTT (ms), region x region: ' + '; '.join(
        f'{r}->{s} {rtt[(r, s)]:.1f}' for r in regions for s in regions))
    print(f'requesters {len(handed_m)}, peers handed on average {statistics.mean(handed_n):.1f}')
    print(f'median RTT to handed peers: CTracker {q(handed_m, .5):.1f} ms (p90 {q(handed_m, .9):.1f}), '
          f'random {q(random_m, .5):.1f} ms (p90 {q(random_m, .9):.1f}), oracle {q(oracle_m, .5):.1f} ms (p90 {q(oracle_m, .9):.1f})')
    print(f'same-region share: CTracker {statistics.mean(same):.2f}; '
          f'median RTT CTracker / random = {q(handed_m, .5) / q(random_m, .5):.3f}')


if __name__ == '__main__':
    main()
