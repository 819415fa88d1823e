/**
 * Apex runtime figures: wall time to run the project's Apex tests locally (cold: parse + compile +
 * run; warm: compiled classes cached), and the interpreter's speed on CPU-bound Apex loops
 * (iterations per second) — integer arithmetic, string building and a method call per iteration.
 */
import { executeAnonymous, runTests } from '../apex/index.ts';
import { createMemoryOrg } from '../local-platform/apex/memoryOrg.ts';
import { projectOrg } from '../local-platform/apex/projectOrg.ts';

async function loop(label: string, body: string, iterations: number, classes: { name: string; body: string }[] = []): Promise<void> {
  const { host } = createMemoryOrg({ classes });
  const src = `Integer acc = 0; String s = '';\nfor (Integer i = 0; i < ${iterations}; i++) { ${body} }\nSystem.debug(acc);`;
  await executeAnonymous(host, src.replace(String(iterations), '10')); // warm the parse and JIT
  const t0 = performance.now();
  const r = await executeAnonymous(host, src);
  const ms = performance.now() - t0;
  if (!r.success) throw new Error(`${label}: ${r.exceptionMessage ?? r.compileProblem}`);
  console.log(
    `  ${label.padEnd(34)} ${Math.round(iterations / (ms / 1000))
      .toLocaleString('en-US')
      .padStart(12)} iterations/s  (${iterations.toLocaleString('en-US')} in ${ms.toFixed(0)} ms)`,
  );
}

export async function run(): Promise<void> {
  console.log('Project Apex tests (force-app, in-memory org):');
  for (const label of ['cold (parse + compile + run)', 'warm (compiled classes cached)']) {
    const { host } = projectOrg(['force-app']);
    const t0 = performance.now();
    const r = await runTests(host);
    const ms = performance.now() - t0;
    const cov = r.coverage.map((c) => `${c.className} ${c.percent}%`).join(', ');
    console.log(`  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${r.testsRan} tests, ${r.passing} passed, ${r.failing} failed`);
    if (label.startsWith('cold')) console.log(`  coverage: ${cov}`);
  }
  console.log('CPU-bound Apex loops:');
  await loop('integer arithmetic (acc += i % 7)', 'acc += Math.mod(i, 7);', 200_000);
  await loop('plain increment (acc++)', 'acc++;', 300_000);
  await loop('string concat + length', "s = 'x' + i; acc += s.length();", 100_000);
  await loop('static method call', 'acc = Calc.add(acc, i);', 100_000, [
    { name: 'Calc', body: 'public class Calc { public static Integer add(Integer a, Integer b) { return a + b; } }' },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
