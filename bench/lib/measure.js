// Helpers used inside a child process: a seeded generator (every variant of a
// scenario sees the same data) and the timing loop (warm-up, then samples).

/** xorshift32: the same seed gives the same inputs in every variant's process. */
export function seededRandom(seed = 0x9e3779b9) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times `pass` (one pass = `opsPerPass` operations, returns a number that is kept so
 * the work cannot be dropped). The process's figure is its fastest sample: on a shared
 * machine a neighbour can only slow a sample down, never speed it up, so the fastest is
 * the closest to the code's own cost. All samples are reported too (`--json`).
 */
export function timePasses(pass, { opsPerPass, warmup = 20, samples = 7, passesPerSample = 5 }) {
  let checksum = 0;
  for (let w = 0; w < warmup; w++) checksum = pass();
  const nsPerOp = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let p = 0; p < passesPerSample; p++) checksum = pass();
    const t1 = process.hrtime.bigint();
    nsPerOp.push(Number(t1 - t0) / (passesPerSample * opsPerPass));
  }
  return { value: Math.min(...nsPerOp), samples: nsPerOp, checksum };
}

/** Elements per call of a scenario's loop function (see makePass). */
export const CHUNK = 1024;

/**
 * A pass over `n` inputs as a hot function in an application sees it: `chunk(from, end)`
 * (the scenario's loop) is called n / CHUNK times, so TurboFan compiles it as a function
 * entered by calls. One long loop per pass (`--loop long`) is instead run by on-stack-
 * replacement code, which on Node 22/24 reads a module `let` markedly slower than a
 * regularly compiled function does (docs/measurements.md).
 */
export function makePass(chunk, n) {
  if (process.env.HOTPATH_BENCH_LOOP === 'long') return () => chunk(0, n);
  return () => {
    let acc = 0;
    for (let i = 0; i < n; i += CHUNK) acc = (acc + chunk(i, Math.min(i + CHUNK, n))) | 0;
    return acc;
  };
}
