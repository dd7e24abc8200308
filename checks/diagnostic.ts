/**
 * What the marker checks give and take: a diagnostic (code, position, message, hint), a
 * valid site, one file's result, the options. Types only: both front ends (the compiler
 * pass, the ESLint rule) read them, nothing here runs.
 */
import type * as ts from 'typescript';
import type { HotpathDiagnosticCode } from './marker-rules.js';
import type { TypeScript } from './typescript.js';

export interface HotpathDiagnostic {
  readonly code: HotpathDiagnosticCode;
  readonly category: 'error' | 'warning';
  readonly file: ts.SourceFile;
  /** Offset of the reported node's first token in `file`. */
  readonly start: number;
  readonly length: number;
  /** What is wrong, naming positions as `file:line:col`. */
  readonly message: string;
  /** What to do. */
  readonly hint: string;
}

/** A valid marker call: it becomes a slot. */
export interface MarkerSite {
  readonly call: ts.CallExpression;
  readonly argument: ts.Identifier;
  /** The variable's declared name (in its declaring module). */
  readonly name: string;
  /** The identifier that declares the variable (a VariableDeclaration's or BindingElement's name). */
  readonly declarationName: ts.Identifier;
  /** The top-level `const`/`let`/`var` statement that declares it. */
  readonly declarationStatement: ts.VariableStatement;
  readonly declaringFile: ts.SourceFile;
  /** Module key of the declaring module (path relative to the project directory). */
  readonly declaringModuleKey: string;
  /** `<declaring module key>#<name>`. */
  readonly variableKey: string;
  /** The local name the argument uses (what an ES-module slot reads). */
  readonly read: string;
  /** The name the module the read comes from exports it as (CommonJS reads `<binding>.<export>`). */
  readonly export: string;
  /** An import or re-export on the way has a query or fragment: another module instance than the emitted path's (its record gets no `from`). */
  readonly throughQueryOrFragment?: boolean;
  /** The specifier of the reader's own import of the declaring module, as emitted; absent when the read comes through another module (a re-export). */
  readonly via?: string;
}

export interface MarkerCheckResult {
  /** Valid sites, in source order. */
  readonly sites: readonly MarkerSite[];
  readonly diagnostics: readonly HotpathDiagnostic[];
  /** Every call recognised as the marker, valid or not. */
  readonly markerCalls: readonly ts.CallExpression[];
}

export interface MarkerCheckOptions {
  /** Directory module keys are relative to; default: the tsconfig's directory, else the program's current directory. */
  readonly projectDirectory?: string;
  /**
   * The TypeScript the program was built with, for hotpath/compiler's `checkMarkers`
   * (default: the one checks/typescript.ts loads); `createMarkerChecks(ts)` is bound to its own.
   */
  readonly typescript?: TypeScript;
}
