/**
 * `@boot` and the marker's own tag, read from comment text: which functions are boot code.
 * The tag itself (what counts as a line starting with `@tag`) is marker-rules.ts's
 * jsDocHasTag, shared with the JavaScript front end; this finds the comment a TypeScript
 * declaration carries it in.
 */
import type * as ts from 'typescript';
import { BOOT_TAG, jsDocHasTag } from './marker-rules.js';
import type { TypeScript } from './typescript.js';

/** A function that may write static variables before seal(): has a body and the `@boot` tag. */
export type BootFunction = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface TagReader {
  hasTag(node: ts.Node, tag: string): boolean;
  isBootFunction(node: ts.Node): node is BootFunction;
  findBootFunctions(sourceFile: ts.SourceFile): BootFunction[];
}

/** The tag reader for `ts`, the TypeScript the nodes were parsed with. */
export function createTagReader(ts: TypeScript): TagReader {
  /**
   * Does `node` carry JSDoc tag `@tag`? Only a real tag counts: a line of the last JSDoc
   * comment before the declaration that starts with `@tag` (after the comment's opening or
   * a line's `*`), followed by a space or the comment's end. Never `@boot` in prose, which
   * TypeScript's own JSDoc parser takes for a tag after any space ("call it after @boot."),
   * nor in an address (`admin@boot.dev`). Read from the text, so hosts parsed with and
   * without JSDoc (tsc's own mode skips it in .ts files) agree.
   */
  function hasTag(node: ts.Node, tag: string): boolean {
    const hosts = new Set([node, jsDocHost(node)]);
    for (const host of hosts) {
      const text = host.getSourceFile().text;
      const jsDoc = (ts.getLeadingCommentRanges(text, host.getFullStart()) ?? [])
        .filter((r) => text.startsWith('/**', r.pos) && !text.startsWith('/**/', r.pos))
        .pop();
      if (jsDoc && jsDocHasTag(text.slice(jsDoc.pos, jsDoc.end), tag)) return true;
    }
    return false;
  }

  /** The node a declaration's JSDoc is written before (the statement for `const f = () => …`, the property for `p: () => …`), as TypeScript finds it. */
  function jsDocHost(node: ts.Node): ts.Node {
    let host = node;
    if (ts.isArrowFunction(host) || ts.isFunctionExpression(host)) {
      const parent = host.parent;
      if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) host = parent;
    }
    if (ts.isVariableDeclaration(host) && ts.isVariableDeclarationList(host.parent) && ts.isVariableStatement(host.parent.parent)) {
      host = host.parent.parent;
    }
    return host;
  }

  function isBootFunction(node: ts.Node): node is BootFunction {
    return (
      (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) &&
      node.body !== undefined &&
      hasTag(node, BOOT_TAG)
    );
  }

  /** Every `@boot` function of `sourceFile`, in source order. */
  function findBootFunctions(sourceFile: ts.SourceFile): BootFunction[] {
    const found: BootFunction[] = [];
    if (sourceFile.isDeclarationFile || !sourceFile.text.includes(`@${BOOT_TAG}`)) return found;
    const visit = (node: ts.Node): void => {
      if (isBootFunction(node)) found.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return found;
  }

  return { hasTag, isBootFunction, findBootFunctions };
}
