/** `hotpath/compiler`: the STATIC_VARIABLE_LOAD pass as a library. */
export {
  checkMarkers,
  findBootFunctions,
  hasTag,
  isBootFunction,
  moduleKeyOf,
  projectDirectoryOf,
  BOOT_TAG,
  DIAGNOSTIC_CODES,
  MARKER_TAG,
  type BootFunction,
  type HotpathDiagnostic,
  type HotpathDiagnosticCode,
  type MarkerCheckOptions,
  type MarkerCheckResult,
  type MarkerSite,
} from './marker-checks.js';
export { createHotpathTransformer, planProgram, emitsCommonJS, emittedPathBetween, type HotpathTransformerOptions } from './transformer.js';
export {
  runBuild,
  formatDiagnostic,
  hotpathDiagnosticsOf,
  hotpathVersion,
  toTsDiagnostic,
  ExitStatus,
  type BuildIO,
} from './build.js';
