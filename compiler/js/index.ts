/**
 * The JavaScript-level front end, for `hotpath sites` and the bundler plugins:
 * - analyzeJsModule(code, { fileName, format?, hotpathExport?, where? }): one module, pure;
 * - writeDiagnostics(declaring, reads): the second phase, HP1007 for the bindings markers read;
 * - linkModules(modules, resolve) / resolveSite / resolveExport / hotpathExportOf: linking, the caller resolves specifiers
 *   (linkSpecifiers(analysis): the ones linking can ask about);
 * - rewriteJsModule(code, plan, options): the slots, record table, registrations and guards, with a source map.
 */
export {
  analyzeJsModule,
  bindingOf,
  lineColumnOf,
  readName,
  writeDiagnostics,
  writeProblemsOf,
  type AnalyzeJsOptions,
  type HotpathExport,
  type JsCallShape,
  type JsBinding,
  type JsBindingKind,
  type JsBindingRead,
  type JsBootFunction,
  type JsDiagnostic,
  type JsExport,
  type JsImport,
  type JsMarkerCall,
  type JsModuleAnalysis,
  type JsModuleFormat,
  type JsSite,
  type JsVariableRef,
  type JsWrite,
  type SourceRange,
} from './analyze.js';
export {
  fromPath,
  hotpathExportOf,
  linkModules,
  linkSpecifiers,
  resolveExport,
  resolveSite,
  type LinkModule,
  type LinkResult,
  type ModulePlan,
  type PlannedRegistration,
  type PlannedSite,
  type Resolve,
  type ResolvedVariable,
} from './link.js';
export { freshName } from './fresh-name.js';
export { rewriteJsModule, isPassAlias, type RewriteOptions, type RewriteResult } from './rewrite.js';
