/**
 * What one run of the checks over a program shares: the cache kept per program and project
 * directory (each file checked once), the context of the file being checked, how a
 * diagnostic is recorded and how a position is worded (`file:line:col`). No TypeScript
 * value is used here: nodes and programs bring their own methods.
 */
import type * as ts from 'typescript';
import type { HotpathDiagnostic, MarkerCheckResult } from './diagnostic.js';
import type { HotpathDiagnosticCode, RuleText } from './marker-rules.js';
import { moduleKeyOf } from './module-key.js';

/** One per program and project directory; the write analysis keeps its own beside it (write-analysis.ts). */
export interface ProgramCache {
  readonly projectDirectory: string;
  readonly results: Map<ts.SourceFile, MarkerCheckResult>;
  /** program.getSourceFiles() as a set, made on first use. */
  programFiles?: ReadonlySet<ts.SourceFile>;
}

/** The program's source files, as a set (asked once per site). */
export function programFilesOf(context: CheckContext): ReadonlySet<ts.SourceFile> {
  return (context.cache.programFiles ??= new Set(context.program.getSourceFiles()));
}

const caches = new WeakMap<ts.Program, Map<string, ProgramCache>>();

export function cacheFor(program: ts.Program, projectDirectory: string): ProgramCache {
  let byDir = caches.get(program);
  if (!byDir) caches.set(program, (byDir = new Map<string, ProgramCache>()));
  let cache = byDir.get(projectDirectory);
  if (!cache) byDir.set(projectDirectory, (cache = { projectDirectory, results: new Map() }));
  return cache;
}

export interface CheckContext {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly sourceFile: ts.SourceFile;
  readonly cache: ProgramCache;
  readonly diagnostics: HotpathDiagnostic[];
}

export function report(
  context: CheckContext,
  code: HotpathDiagnosticCode,
  node: ts.Node,
  { message, hint }: RuleText,
  category: 'error' | 'warning' = 'error',
): void {
  const start = node.getStart(context.sourceFile);
  context.diagnostics.push({ code, category, file: context.sourceFile, start, length: node.getEnd() - start, message, hint });
}

/** `file:line:col` (1-based) of `node`, the file named by its module key. */
export function where(cache: ProgramCache, node: ts.Node): string {
  const file = node.getSourceFile();
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${moduleKeyOf(file.fileName, cache.projectDirectory)}:${line + 1}:${character + 1}`;
}
