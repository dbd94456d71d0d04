#!/usr/bin/env bash
# A host shop simulator for integrators: signs and sends the host's server-to-server calls
# to a running mall (`make run`), printing each request and answer. The signature is v2
# (README, "Host integration"): X-Mall-Signature: v2=<hex HMAC-SHA256 with HOOK_SECRET of
# "v2\n{timestamp}\n{METHOD}\n{path}\n{Idempotency-Key or -}\n{body}">.
#
# Usage:
#   scripts/host-sim.sh quote    MEMBER ORDER_AMOUNT
#   scripts/host-sim.sh hold     MEMBER ORDER_ID ORDER_AMOUNT POINTS
#   scripts/host-sim.sh capture  DEDUCTION_ID
#   scripts/host-sim.sh release  DEDUCTION_ID
#   scripts/host-sim.sh refund   DEDUCTION_ID IDEMPOTENCY_KEY [POINTS]
#   scripts/host-sim.sh purchase PURCHASE_ID MEMBER PAID [SETTLES_AT]
#   scripts/host-sim.sh purchase-refund REFUND_ID PURCHASE_ID AMOUNT
#   scripts/host-sim.sh payment  ORDER_ID PAYMENT_ID PAID      (confirm the cash part of an order)
#   scripts/host-sim.sh pay-page [PORT]   (the host's pay page, default port 9100: start the
#       mall with HOST_PAY_URL=http://127.0.0.1:PORT/pay; the page checks the mall's signature,
#       shows the amount, and its button (data-testid=host-pay) sends the signed
#       POST /api/hooks/payment, then the member back to the return URL. Needs Node 18+.
#       Prints "host-sim pay page: http://127.0.0.1:PORT/pay" once it listens.)
#   scripts/host-sim.sh webhooks [PORT] [FAIL_FIRST]   (the host's webhook receiver, default
#       port 9200: start the mall with HOST_WEBHOOK_URL=http://127.0.0.1:PORT/webhooks; it
#       checks each delivery's signature with HOOK_SECRET and prints it; answers 503 to the
#       first FAIL_FIRST deliveries (default 0) to show the mall's retries. Needs Node 18+.)
#   scripts/host-sim.sh demo     (a whole checkout on demo member 1, then a purchase and its refund)
# Environment: MALL_URL (default http://127.0.0.1:8080), HOOK_SECRET (default: the
# development secret `make run` uses).
set -euo pipefail
MALL_URL="${MALL_URL:-http://127.0.0.1:8080}"
HOOK_SECRET="${HOOK_SECRET:-dev-only-hook-secret-change-me}"

# send PATH BODY [IDEMPOTENCY_KEY]: signs BODY now and POSTs it; prints the exchange.
send() {
  local path="$1" body="$2" key="${3:-}" ts sig
  ts="$(date +%s)"
  sig="v2=$(printf 'v2\n%s\nPOST\n%s\n%s\n%s' "$ts" "$path" "${key:--}" "$body" | openssl dgst -sha256 -hmac "$HOOK_SECRET" -r | cut -d' ' -f1)"
  echo "> POST $path ${body:-(empty body)}${key:+  [Idempotency-Key: $key]}" >&2
  curl -sS -X POST "$MALL_URL$path" -H 'content-type: application/json' \
    -H "x-mall-timestamp: $ts" -H "x-mall-signature: $sig" ${key:+-H "idempotency-key: $key"} \
    --data-binary "$body" -w '\n< HTTP %{http_code}\n'
}

json_field() { sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p"; }

case "${1:-}" in
  quote) send /api/host/deductions/quote "{\"member_id\":$2,\"order_amount\":\"$3\"}" ;;
  hold) send /api/host/deductions "{\"member_id\":$2,\"order_id\":\"$3\",\"order_amount\":\"$4\",\"points\":$5}" ;;
  capture) send "/api/host/deductions/$2/capture" "" ;;
  release) send "/api/host/deductions/$2/release" "" ;;
  refund) send "/api/host/deductions/$2/refund" "${4:+{\"points\":$4\}}" "$3" ;;
  purchase) send /api/hooks/purchase "{\"purchase_id\":\"$2\",\"member_id\":$3,\"paid\":\"$4\"${5:+,\"settles_at\":\"$5\"}}" ;;
  purchase-refund) send /api/hooks/refund "{\"refund_id\":\"$2\",\"purchase_id\":\"$3\",\"amount\":\"$4\"}" ;;
  payment) send /api/hooks/payment "{\"payment_id\":\"$3\",\"order_id\":$2,\"paid\":\"$4\"}" ;;
  webhooks) HOOK_SECRET="$HOOK_SECRET" exec node "$(dirname "$0")/host-webhooks.mjs" "${2:-9200}" "${3:-0}" ;;
  pay-page) MALL_URL="$MALL_URL" HOOK_SECRET="$HOOK_SECRET" exec node "$(dirname "$0")/host-pay-page.mjs" "${2:-9100}" ;;
  demo)
    order="SIM-$(date +%s)"
    send /api/host/deductions/quote '{"member_id":1,"order_amount":"120.00"}'
    id="$(send /api/host/deductions "{\"member_id\":1,\"order_id\":\"$order\",\"order_amount\":\"120.00\",\"points\":1500}" | head -1 | json_field id)"
    send /api/host/deductions "{\"member_id\":1,\"order_id\":\"$order\",\"order_amount\":\"120.00\",\"points\":1500}"
    send "/api/host/deductions/$id/capture" ""
    send "/api/host/deductions/$id/release" ""
    send "/api/host/deductions/$id/refund" '{"points":500}' "$order-r1"
    send /api/hooks/purchase "{\"purchase_id\":\"$order-P\",\"member_id\":1,\"paid\":\"105.00\"}"
    send /api/hooks/refund "{\"refund_id\":\"$order-R\",\"purchase_id\":\"$order-P\",\"amount\":\"35.00\"}"
    ;;
  *) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
