/**
 * The bundler plugins' build-time codes, each documented in docs/bundlers.md (what it
 * means, what to do); a test checks that. Every one is a warning: the bundle is correct
 * whatever they say, only some sites stay loads.
 */
export const BundlerCode = {
  /** The plugin rewrote markers, but no chunk of the output holds a slot. */
  noSlotInOutput: 'HP1101',
  /** After minification a site's argument is not a variable read: no slot can hold it. */
  siteNotARead: 'HP1102',
  /** Which chunk registers a site's variable is unknown: the site stays a load (HP2016 at boot). */
  declaringModuleUnknown: 'HP1103',
  /** A chunk holds a site carrier this build's transform did not write. */
  unknownCarrier: 'HP1104',
  /** A chunk does not parse after minification. */
  chunkUnparsed: 'HP1105',
} as const;

export type BundlerCode = (typeof BundlerCode)[keyof typeof BundlerCode];

export interface BundlerDiagnostic {
  readonly code: BundlerCode;
  /** The output chunk it concerns, when one does. */
  readonly chunk?: string;
  readonly message: string;
}

/** `HP1101 …` as a bundler's warning text. */
export function formatDiagnostic(diagnostic: BundlerDiagnostic): string {
  return `${diagnostic.code}: ${diagnostic.message}`;
}
