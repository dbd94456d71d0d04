// Runs Lighthouse N times on `/` with a member's session and prints each run and the
// median of each of: performance, accessibility, best practices, LCP,
// TBT, CLS, FCP. See bench/lighthouse.sh.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { memberCookie, startServer } from '../tests/e2e/harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] || 3);
const server = await startServer();
try {
  const { name, value } = await memberCookie(server.base);
  const cookie = `${name}=${value}`;
  const results = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'mall-lh-'));
    const out = join(dir, 'report.json');
    execFileSync(join(ROOT, 'target/lighthouse/node_modules/.bin/lighthouse'), [
      `${server.base}/`, '--quiet', '--output=json', `--output-path=${out}`,
      '--only-categories=performance,accessibility,best-practices',
      `--extra-headers=${JSON.stringify({ Cookie: cookie })}`,
      `--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=${join(dir, 'profile')}`,
    ], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] });
    const lhr = JSON.parse(readFileSync(out, 'utf8'));
    const a = lhr.audits;
    results.push({
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      bestPractices: Math.round(lhr.categories['best-practices'].score * 100),
      lcp: a['largest-contentful-paint'].numericValue,
      tbt: a['total-blocking-time'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue,
      fcp: a['first-contentful-paint'].numericValue,
      lcpElement: a['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.snippet ?? '',
    });
    rmSync(dir, { recursive: true, force: true });
  }
  const show = (r) => `perf ${r.performance}  a11y ${r.accessibility}  bp ${r.bestPractices}  FCP ${(r.fcp / 1000).toFixed(2)} s  LCP ${(r.lcp / 1000).toFixed(2)} s  TBT ${Math.round(r.tbt)} ms  CLS ${r.cls.toFixed(3)}`;
  results.forEach((r, i) => console.log(`run ${i + 1}: ${show(r)}`));
  // Each figure's own median (the runs' middles need not be one run).
  const mid = (key) => [...results].map((r) => r[key]).sort((x, y) => x - y)[Math.floor(results.length / 2)];
  const median = Object.fromEntries(['performance', 'accessibility', 'bestPractices', 'lcp', 'tbt', 'cls', 'fcp'].map((k) => [k, mid(k)]));
  console.log(`median of ${runs}: ${show(median)}`);
  console.log(`LCP element: ${results[0].lcpElement}`);
} finally {
  await server.stop();
}
