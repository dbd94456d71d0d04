// Prints the first visit's files and total, and each route's extra bytes (see
// tests/e2e/first-visit.mjs for how it is counted) against the budget in make test.
import { startServer } from '../tests/e2e/harness.mjs';
import { BUDGET_BYTES, measure, total } from '../tests/e2e/first-visit.mjs';

// Exact bytes: the budget is checked to the byte.
const kB = (n) => n.toLocaleString('en-US').padStart(9) + ' B';
const server = await startServer();
try {
  const { home, routes } = await measure(server.base);
  console.log('First visit to / (cold, member session, 390x844), transferred bytes:');
  for (const f of home) console.log(`  ${f.path.padEnd(52)}${kB(f.bytes)}`);
  console.log(`  ${'TOTAL'.padEnd(52)}${kB(total(home))}   (${home.length} files; budget ${kB(BUDGET_BYTES).trim()}, ratio ${(total(home) / BUDGET_BYTES).toFixed(2)})`);
  console.log('\nOpening each route afterwards adds:');
  for (const [route, files] of Object.entries(routes)) {
    console.log(`  ${route.padEnd(12)}${kB(total(files))}  in ${String(files.length).padStart(2)} files`);
  }
} finally {
  await server.stop();
}
