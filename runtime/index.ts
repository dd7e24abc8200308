/** `hotpath`: the runtime. What compiled code calls, the boot protocol, and the pure patcher for other loaders. */
export { STATIC_VARIABLE_LOAD } from './marker.js';
export * from './site-format.js';
export { RuntimeCode } from './codes.js';
export { encodeLiteral } from './literal.js';
export { patchSource, type PatchSourceOptions, type PatchSourceResult, type SiteOutcome } from './patch-source.js';
export {
  assertBootPhase,
  bootReport,
  noteSiteModule,
  registerStaticVariable,
  seal,
  verifyStaticVariables,
  type ChangedVariable,
  type SealOptions,
} from './registry.js';
export { formatBootReport, type BootReport, type ModulePatchReport, type NotedModule, type VariableReport, type HookKind } from './report.js';
