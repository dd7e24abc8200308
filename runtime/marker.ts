/**
 * Marks a hot read of a static variable: a module-level binding written only at
 * start-up. Uncompiled (tests, tsx) it is the identity, so a program computes the same
 * results compiled or not, patched or not; `hotpath build` replaces each call with a
 * patch site, found by this declaration's symbol (the tag below), never by its name.
 *
 * @hotpathMarker STATIC_VARIABLE_LOAD
 */
export function STATIC_VARIABLE_LOAD<T>(variable: T): T {
  return variable;
}

/**
 * After seal() a call of the marker is a site no pass rewrote: seal() swaps in a function that
 * says so (registry.ts), through these swaps, one per loaded copy of the runtime (an ES-module and
 * a CommonJS copy share one registry). The binding, not the body, changes: before seal() the
 * marker is exactly the identity, and patched code never calls it.
 */
const SWAPS = Symbol.for('hotpath.marker.swaps');
type Swap = (marker: <T>(variable: T) => T) => void;
((globalThis as Record<symbol, Swap[] | undefined>)[SWAPS] ??= []).push((marker) => {
  // @ts-expect-error TS2630: reassigned on purpose. Importers of the ES module read the binding live; tsc's
  // CommonJS copy updates `exports.STATIC_VARIABLE_LOAD` with it, which its callers read at each call.
  STATIC_VARIABLE_LOAD = marker;
});
