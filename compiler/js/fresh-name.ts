/**
 * `base`, or `base1`, `base2`, …: the first the module's text does not hold anywhere, so no
 * binding of the module (a parameter, a local, a global it reads) can shadow or clash with it.
 * Imports nothing: bundler/carrier-text.ts, which user bundles reach, uses it too.
 */
export function freshName(code: string, base: string): string {
  let name = base;
  for (let n = 1; code.includes(name); n++) name = `${base}${String(n)}`;
  return name;
}
