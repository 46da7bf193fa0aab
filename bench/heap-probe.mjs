// Loaded into the bench's gateway processes (node --expose-gc --import): on SIGUSR2, collect garbage and
// print the heap in use, so the bench reads the gateway's own heap without changing the gateway.
import process from 'node:process';

let asked = 0;
process.on('SIGUSR2', () => {
  asked += 1;
  globalThis.gc?.();
  globalThis.gc?.();
  process.stdout.write(`BENCH_HEAP ${asked} ${process.memoryUsage().heapUsed}\n`);
});
