// The host shop's pay page, simulated (`scripts/host-sim.sh pay-page [PORT]`): what a host
// builds for the cash part of a mall price (积分+现金). No card data: "pay" stands for the
// host's own checkout (WeChat Pay or its cashier).
//
//   GET  /pay?order_id&payment_id&amount&currency&expires_at&return_url&signature
//        checks the mall's signature (HMAC-SHA256 with HOOK_SECRET of the message in
//        mall_core::payment, first line `mall-to-host`) and the expiry, shows the amount;
//   POST /pay (the page's form, button data-testid=host-pay) checks them again, sends the
//        signed confirmation POST {MALL_URL}/api/hooks/payment {payment_id, order_id, paid}
//        (v2 signature) and sends the member back to return_url; a refusal (409 order_lapsed:
//        the host would refund) is shown with a link back.
//
// Environment: MALL_URL (the mall's base URL), HOOK_SECRET. Node 18+ (global fetch).
// A simulator: it reads the time from the mall (`GET /api/time`) for its expiry check and
// the hook's timestamp, so a demo whose dev clock was moved forward still accepts it (a
// real host uses its own synchronised clock: the mall's is the real one in production).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 9100);
const mall = (process.env.MALL_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const secret = process.env.HOOK_SECRET ?? '';
const FIELDS = ['order_id', 'payment_id', 'amount', 'currency', 'expires_at', 'return_url', 'signature'];

const hmac = (text) => createHmac('sha256', secret).update(text).digest('hex');
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The mall's time, in milliseconds (its dev clock may run ahead of this machine's). */
async function mallNow() {
  const answer = await fetch(`${mall}/api/time`);
  return answer.ok ? (await answer.json()).epoch_ms : Date.now();
}

/** The request's fields if the mall signed them and they have not expired; else a reason. */
function check(r, now) {
  if (FIELDS.some((f) => typeof r[f] !== 'string' || r[f] === '')) return { refused: 'a field of the payment request is missing' };
  const message = ['mall-to-host', 'payment-request', r.order_id, r.payment_id, r.amount, r.currency, r.expires_at, r.return_url].join('\n');
  const expected = Buffer.from(hmac(message));
  const given = Buffer.from(r.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'the mall did not sign this request' };
  if (Number(r.expires_at) * 1000 <= now) return { refused: 'this payment request has expired' };
  return { ok: r };
}

const page = (title, body) =>
  `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${escape(title)}</title><body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">` +
  `<h1>宿主收银台 · Host checkout</h1>${body}</body></html>`;

function send(res, status, html, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(html);
}

async function pay(res, r) {
  const body = JSON.stringify({ payment_id: r.payment_id, order_id: Number(r.order_id), paid: r.amount });
  const path = '/api/hooks/payment';
  const ts = Math.floor((await mallNow()) / 1000);
  const signature = `v2=${hmac(`v2\n${ts}\nPOST\n${path}\n-\n${body}`)}`;
  const answer = await fetch(mall + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mall-timestamp': String(ts), 'x-mall-signature': signature },
    body,
  });
  const text = await answer.text();
  console.log(`> POST ${path} ${body}\n< HTTP ${answer.status} ${text}`);
  if (answer.ok) return send(res, 303, '', { location: r.return_url });
  const back = `<p><a data-testid="host-back" href="${escape(r.return_url)}">返回商城 · Back to the mall</a></p>`;
  send(res, 200, page('Refused', `<p data-testid="host-result">商城拒绝了这笔付款，已原路退款 · The mall refused the payment (refunded): HTTP ${answer.status} ${escape(text)}</p>${back}`));
}

createServer(async (req, res) => {
  try {
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (url.pathname !== '/pay') return send(res, 200, page('Host simulator', '<p>POST /pay, GET /pay?…</p>'));
    if (req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const checked = check(Object.fromEntries(new URLSearchParams(raw)), await mallNow());
      if (checked.refused) return send(res, 400, page('Refused', `<p data-testid="host-result">${escape(checked.refused)}</p>`));
      return await pay(res, checked.ok);
    }
    const checked = check(Object.fromEntries(url.searchParams), await mallNow());
    if (checked.refused) return send(res, 400, page('Refused', `<p data-testid="host-result">${escape(checked.refused)}</p>`));
    const r = checked.ok;
    const hidden = FIELDS.map((f) => `<input type="hidden" name="${f}" value="${escape(r[f])}">`).join('');
    const until = new Date(Number(r.expires_at) * 1000).toLocaleTimeString('zh-CN', { hour12: false });
    send(res, 200, page(`Pay ¥${r.amount}`,
      `<p>积分商城订单 · Mall order ${escape(r.order_id)}</p>` +
      `<p style="font-size:2rem" data-testid="host-amount">¥${escape(r.amount)} ${escape(r.currency)}</p>` +
      `<p>请在 ${escape(until)} 前支付 · Pay before ${escape(until)}</p>` +
      `<form method="post" action="/pay">${hidden}<button data-testid="host-pay" style="font-size:1.25rem">支付 · Pay</button></form>` +
      `<p><a data-testid="host-cancel" href="${escape(r.return_url)}">不付了，返回商城 · Back without paying</a></p>`));
  } catch (e) {
    console.error(e);
    send(res, 502, page('Error', `<p data-testid="host-result">${escape(e.message)}</p>`));
  }
}).listen(port, '127.0.0.1', () => console.log(`host-sim pay page: http://127.0.0.1:${port}/pay (mall ${mall})`));
