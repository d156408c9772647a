/**
 * A seeded uniform generator for resampling. Math.random cannot be seeded, and a bootstrap
 * interval must come out the same for the same data and seed on every run (a dashboard must
 * not flicker between refreshes, a test must not be flaky), so this is plain 32-bit integer
 * arithmetic that every engine evaluates identically.
 */

/** Returns a function giving uniform doubles in [0, 1) with 32 random bits each. */
export function seededUniform(seed: number): () => number {
  // splitmix32 turns nearby seeds (0, 1, 2, …) into unrelated sfc32 states
  let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x2545f491);
  const split = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = 1;
  // sfc32 (Doty-Humphrey): passes PractRand and is among the fastest generators in JavaScript
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
