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
