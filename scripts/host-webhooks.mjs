// The host's webhook receiver, simulated (`scripts/host-sim.sh webhooks [PORT] [FAIL_FIRST]`):
// what a host builds to hear the mall's notices for members (points arrived, expiring,
// order shipped, a reminded sale opening, tier up, code verified, cash refund due) and
// pass them on through its own channels (WeChat subscribe messages, SMS, push).
//
//   POST /webhooks   checks the signature: X-Mall-Signature: v2=<hex HMAC-SHA256 with
//                    HOOK_SECRET of "mall-to-host\nwebhook\n{X-Mall-Timestamp}\n{id}\n{body}">
//                    (the message of mall_core::webhook), prints the delivery, and
//                    answers 200 — or 503 for the first FAIL_FIRST deliveries (to watch the
//                    mall retry with backoff), 401 when the signature does not match.
//                    A delivery whose id it already took is answered 200 and printed as a
//                    duplicate (the host dedupes by id: delivery is at least once).
//
// Start the mall with HOST_WEBHOOK_URL=http://127.0.0.1:PORT/webhooks (loopback http is
// accepted with the demo login). Environment: HOOK_SECRET. Node 18+.
// Prints "host-sim webhooks: http://127.0.0.1:PORT/webhooks" once it listens.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 9200);
let failFirst = Number(process.argv[3] ?? 0);
const secret = process.env.HOOK_SECRET ?? '';
const seen = new Set();

/** Whether `signature` (`v2=<hex>`) signs this delivery. */
function signed(timestamp, id, body, signature) {
  const expected = Buffer.from(createHmac('sha256', secret).update(`mall-to-host\nwebhook\n${timestamp}\n${id}\n${body}`).digest('hex'));
  const given = Buffer.from(String(signature ?? '').replace(/^v2=/, ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || new URL(req.url, 'http://x').pathname !== '/webhooks') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let delivery;
    try {
      delivery = JSON.parse(body);
    } catch {
      res.writeHead(400).end('not JSON');
      return;
    }
    const ts = req.headers['x-mall-timestamp'];
    if (!signed(ts, delivery.id, body, req.headers['x-mall-signature'])) {
      console.log(`✗ #${delivery.id} ${delivery.type}: the signature does not match (HOOK_SECRET?)`);
      res.writeHead(401).end('bad signature');
      return;
    }
    if (failFirst > 0) {
      failFirst -= 1;
      console.log(`… #${delivery.id} ${delivery.type} for member ${delivery.member_id}: answered 503 (failing ${failFirst} more)`);
      res.writeHead(503).end('host busy (simulated)');
      return;
    }
    const again = seen.has(delivery.id);
    seen.add(delivery.id);
    console.log(`${again ? '= duplicate' : '✓'} #${delivery.id} ${delivery.type} for member ${delivery.member_id} at ${new Date(delivery.created_at * 1000).toISOString()}`);
    console.log(`  ${JSON.stringify(delivery.payload)}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});

server.listen(port, '127.0.0.1', () => console.log(`host-sim webhooks: http://127.0.0.1:${port}/webhooks`));
