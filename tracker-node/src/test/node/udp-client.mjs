// A second, independent UDP tracker client for the tests: npm's bittorrent-tracker Client.
//
//   node udp-client.mjs udp://127.0.0.1:PORT INFO_HASH_HEX
//
// Two clients of one swarm announce in turn (the first as a seeder), then the second scrapes.
// Every event is printed as one JSON line; the last line is {"done":true} or {"error":...}.
// Exits 0 when the second client was handed the first one's address, else 1 (after 20 s at most).
import { register } from 'node:module'

// The client imports a WebRTC polyfill whose native library `npm install --ignore-scripts` does not
// build (its install script would download one). UDP needs no WebRTC: resolve it to an empty stub.
register('data:text/javascript,' + encodeURIComponent(`
  export async function resolve (specifier, context, next) {
    if (specifier === 'webrtc-polyfill') {
      return { shortCircuit: true, url: 'data:text/javascript,export const RTCPeerConnection = undefined, RTCSessionDescription = undefined, RTCIceCandidate = undefined' }
    }
    return next(specifier, context)
  }`))
const { default: Client } = await import('bittorrent-tracker')

const [announce, infoHash] = process.argv.slice(2)
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const peerId = (n) => Buffer.from(`-NJ0001-${String(n).padStart(12, '0')}`).toString('hex')
const fail = (where, err) => { print({ error: `${where}: ${err && err.message ? err.message : err}` }); process.exit(1) }
setTimeout(() => fail('timeout', 'no complete exchange within 20 s'), 20000).unref()

const seeder = new Client({ infoHash, peerId: peerId(1), announce: [announce], port: 6881 })
seeder.on('error', (e) => fail('seeder', e))
seeder.on('warning', (e) => fail('seeder warning', e))
seeder.once('update', (data) => {
  print({ who: 'seeder', event: 'update', complete: data.complete, incomplete: data.incomplete })
  const leecher = new Client({ infoHash, peerId: peerId(2), announce: [announce], port: 6882 })
  leecher.on('error', (e) => fail('leecher', e))
  leecher.on('warning', (e) => fail('leecher warning', e))
  let peer = null
  let updated = false
  const maybeScrape = () => {
    if (peer && updated) leecher.scrape()
  }
  leecher.on('peer', (addr) => {
    print({ who: 'leecher', event: 'peer', addr })
    peer = addr
    maybeScrape()
  })
  leecher.once('update', (data) => {
    print({ who: 'leecher', event: 'update', complete: data.complete, incomplete: data.incomplete })
    updated = true
    maybeScrape()
  })
  leecher.once('scrape', (data) => {
    print({ who: 'leecher', event: 'scrape', complete: data.complete, incomplete: data.incomplete, downloaded: data.downloaded })
    leecher.stop()
    seeder.stop()
    print({ done: true })
    setTimeout(() => process.exit(0), 200).unref()
  })
  leecher.start()
})
seeder.start({ left: 0 })
