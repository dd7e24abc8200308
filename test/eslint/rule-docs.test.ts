// docs/rules/<rule>.md: every ❌ / ✅ example on the page, run through the BUILT plugin
// (build/eslint-plugin/: `npm run build` first, as `npm test` does), so the pages say what the
// shipped rules do.
//
// An example is a fenced code block whose paragraph just before it starts with ❌ (incorrect)
// or ✅ (correct); under "## Examples" every fenced block must be one. What is checked comes
// from that paragraph's words:
//   ❌                    the rule reports; and where the paragraph says
//     "fixed"             every report carries a fix (no suggestion-only report)
//     "suggestion only"   every report carries a suggestion and no fix
//     neither             (only for a rule with neither fixes nor suggestions) no report carries either
//     ("…")               a report's message contains the quoted text (up to a closing "…")
//   ✅                    the rule reports nothing; and where the paragraph says
//     "what `--fix` writes"  `--fix` on the ❌ example before it writes exactly this block
//   with `{…}`            the rule's options for the example (JSON); "with the default options
//                         this is not reported": nothing is reported without them either
// and from the block itself:
//   `// HP1003` ending a line   that line gets one report, its message starting with the code,
//                               and a line without a code gets none
//   `// src/pool.ts` alone on a line   the files of a multi-file example, from there to the next
//
// Each example is a project of its own on disk (strict, NodeNext; node_modules/hotpath links to
// this checkout, so `hotpath` is the built runtime's declaration, as in a consumer) and each of
// its files is linted with type information; a rule that needs none (prefer-subtract-compare,
// in configs.recommended) must give the same verdicts without it too.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import type sourcePlugin from '../../eslint-plugin/index.js';
import { lintTsSyntaxOnly, lintTyped } from './rule-tester.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pagesDir = join(repo, 'docs/rules');
const builtEntry = join(repo, 'build/eslint-plugin/index.js');
if (!existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npm run build\` first`);
const { default: built } = (await import(pathToFileURL(builtEntry).href)) as { default: typeof sourcePlugin };
type RuleName = keyof typeof built.rules;

type Block = { type: 'heading' | 'paragraph'; text: string; line: number } | { type: 'fence'; code: string; line: number };

/** The page as headings, paragraphs (whitespace collapsed) and fenced blocks (their text exactly), with 1-based lines. */
function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const start = i;
      let code = '';
      while (++i < lines.length && !lines[i]!.startsWith('```')) code += `${lines[i]!}\n`;
      out.push({ type: 'fence', code, line: start + 1 });
    } else if (line.startsWith('#')) {
      out.push({ type: 'heading', text: line, line: i + 1 });
    } else if (line.trim() !== '') {
      const start = i;
      let text = line;
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== '' && !/^(```|#)/.test(lines[i + 1]!)) text += ` ${lines[++i]!}`;
      out.push({ type: 'paragraph', text: text.replace(/\s+/g, ' ').trim(), line: start + 1 });
    }
  }
  return out;
}

interface Example {
  /** `page.md:line` of the block's opening fence. */
  where: string;
  incorrect: boolean;
  lead: string;
  code: string;
}

/** A page's examples, and what is wrong with how it marks them. */
function examplesOf(page: string): { examples: Example[]; problems: string[] } {
  const all = blocks(readFileSync(join(pagesDir, page), 'utf8'));
  const examples: Example[] = [];
  const problems: string[] = [];
  let section = '';
  all.forEach((block, k) => {
    if (block.type === 'heading' && block.text.startsWith('## ')) section = block.text.slice(3).trim();
    const marked = (b: Block | undefined) => b?.type === 'paragraph' && /^[❌✅]/u.test(b.text);
    if (block.type === 'paragraph' && marked(block)) {
      const next = all[k + 1];
      if (next?.type !== 'fence') problems.push(`${page}:${block.line}: a ❌/✅ paragraph with no code block after it`);
      else examples.push({ where: `${page}:${next.line}`, incorrect: block.text.startsWith('❌'), lead: block.text, code: next.code });
    }
    if (block.type === 'fence' && section === 'Examples' && !marked(all[k - 1])) {
      problems.push(`${page}:${block.line}: a code block under "Examples" without a ❌/✅ paragraph before it`);
    }
  });
  return { examples, problems };
}

interface Claims {
  outcome: 'fix' | 'suggestion' | undefined;
  options: Record<string, unknown> | undefined;
  notReportedByDefault: boolean;
  isFixOutput: boolean;
  quoted: string[];
}

function claimsOf(example: Example): Claims {
  const { lead } = example;
  const fixed = /\bfixed\b/.test(lead);
  const suggestion = /\bsuggestion only\b/.test(lead);
  if (fixed && suggestion) throw new Error(`${example.where}: the paragraph says both "fixed" and "suggestion only"`);
  const isFixOutput = lead.includes('what `--fix` writes');
  // A claim in other words would go unchecked: the paragraph must use the words above.
  if (example.incorrect && isFixOutput) throw new Error(`${example.where}: a ❌ example cannot be "what \`--fix\` writes"`);
  if (!example.incorrect && /\bfix|suggest/.test(lead) && !isFixOutput) throw new Error(`${example.where}: a ✅ example that shows a fix says "what \`--fix\` writes"`);
  const options = /\bwith `(\{[^`]*\})`/.exec(lead)?.[1];
  return {
    outcome: fixed ? 'fix' : suggestion ? 'suggestion' : undefined,
    options: options === undefined ? undefined : (JSON.parse(options) as Record<string, unknown>),
    notReportedByDefault: lead.includes('with the default options this is not reported'),
    isFixOutput,
    quoted: [...lead.matchAll(/\("([^"]*)"\)/g)].map((m) => m[1]!.replace(/,?\s*…$/u, '')),
  };
}

/** The example's files: `// path.ts` lines start one (the line stays in it); text before any is `file.ts`. */
function filesOf(code: string): [string, string][] {
  const files: [string, string][] = [];
  for (const line of code.match(/.*\n|.+$/g) ?? []) {
    const header = /^\/\/ ([\w./-]+\.[cm]?ts)\s*$/.exec(line)?.[1];
    if (header !== undefined || files.length === 0) files.push([header ?? 'file.ts', '']);
    files[files.length - 1]![1] += line;
  }
  return files;
}

const root = mkdtempSync(join(tmpdir(), 'hotpath-rule-docs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let projectCount = 0;

/** A project on disk holding the files (type information needs them in a program). */
function projectOf(files: [string, string][]): string {
  const dir = join(root, String(projectCount++));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  write('package.json', '{ "type": "module" }\n');
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] };
  write('tsconfig.json', JSON.stringify({ compilerOptions, include: ['**/*.ts'] }));
  for (const [file, text] of files) write(file, text);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules/hotpath'), 'junction');
  return dir;
}

interface Report {
  file: string;
  message: Linter.LintMessage;
}

const show = (r: Report) =>
  `${r.file}:${r.message.line}:${r.message.column} ${r.message.messageId ?? ''}${r.message.fix ? ' (fix)' : ''}${r.message.suggestions?.length ? ' (suggestion)' : ''}: ${r.message.message}`;

/** Lints every file of the example: the rule's reports, other problems (parse errors), and the files' text after `--fix`, joined. */
function lint(rule: RuleName, example: Example, options: Record<string, unknown> | undefined, typed: boolean) {
  const files = filesOf(example.code);
  const dir = typed ? projectOf(files) : undefined;
  const reports: Report[] = [];
  const other: string[] = [];
  let fixed = '';
  for (const [file, text] of files) {
    const target = { plugin: built, rule, file };
    const result = dir === undefined ? lintTsSyntaxOnly(text, options, target) : lintTyped(text, dir, options, target);
    for (const message of result.messages) {
      if (message.ruleId === `hotpath/${rule}`) reports.push({ file, message });
      else other.push(`${file}:${message.line}:${message.column} ${message.message}`);
    }
    fixed += result.fixed;
  }
  return { reports, other, fixed };
}

/** `file:line HPxxxx` for each line of the example ending in a `// HPxxxx` comment. */
function namedCodes(example: Example): string[] {
  return filesOf(example.code).flatMap(([file, text]) =>
    text.split('\n').flatMap((line, i) => {
      const code = /\/\/ (HP\d{4})\b[^\n]*$/.exec(line)?.[1];
      return code === undefined ? [] : [`${file}:${i + 1} ${code}`];
    }),
  );
}

function checkExample(rule: RuleName, example: Example, before: Example | undefined, typed: boolean) {
  const claims = claimsOf(example);
  const meta = built.rules[rule].meta;
  const { reports, other } = lint(rule, example, claims.options, typed);
  expect(other, `${example.where}: the example does not parse`).toEqual([]);
  if (!example.incorrect) {
    expect(reports.map(show), `${example.where}: a ✅ example must get no report`).toEqual([]);
  } else {
    expect(reports.length, `${example.where}: a ❌ example must get a report`).toBeGreaterThan(0);
    for (const r of reports) {
      if (claims.outcome === 'fix') {
        expect(r.message.fix, `${example.where} says "fixed": ${show(r)}`).toBeDefined();
      } else if (claims.outcome === 'suggestion') {
        expect(r.message.fix, `${example.where} says "suggestion only": ${show(r)}`).toBeUndefined();
        expect(r.message.suggestions?.length ?? 0, `${example.where} says "suggestion only": ${show(r)}`).toBeGreaterThan(0);
      } else {
        expect(meta.fixable === undefined && meta.hasSuggestions !== true, `${example.where}: say whether it is "fixed" or gets a "suggestion only"`).toBe(true);
        expect(r.message.fix ?? r.message.suggestions, `${example.where}: ${show(r)}`).toBeUndefined();
      }
    }
    const messages = reports.map((r) => r.message.message.replace(/\s+/g, ' '));
    for (const quote of claims.quoted) {
      expect(messages.some((m) => m.includes(quote)), `${example.where} quotes "${quote}"; the messages:\n${messages.join('\n')}`).toBe(true);
    }
    const codes = namedCodes(example);
    if (codes.length > 0) {
      const got = reports.map((r) => `${r.file}:${r.message.line} ${/^HP\d{4}/.exec(r.message.message)?.[0] ?? show(r)}`);
      expect(got.sort(), `${example.where}: the codes its lines name`).toEqual(codes.sort());
    }
  }
  if (claims.notReportedByDefault) {
    expect(lint(rule, example, undefined, typed).reports.map(show), `${example.where}: "with the default options this is not reported"`).toEqual([]);
  }
  if (claims.isFixOutput) {
    expect(before, `${example.where} says "what \`--fix\` writes": the ❌ example before it`).toBeDefined();
    const beforeClaims = claimsOf(before!);
    expect(beforeClaims.outcome, `${before!.where}, whose output ${example.where} shows, must say "fixed"`).toBe('fix');
    expect(lint(rule, before!, beforeClaims.options, typed).fixed, `--fix on ${before!.where} writes ${example.where}`).toBe(example.code);
  }
}

const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.md'));

it('there is a page per rule, and one rule per page', () => {
  expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(Object.keys(built.rules).sort());
});

for (const page of pages) {
  const rule = page.replace(/\.md$/, '') as RuleName;
  const { examples, problems } = examplesOf(page);
  describe(page, () => {
    it('marks every example ❌ or ✅, and has both', () => {
      expect(problems).toEqual([]);
      expect(examples.filter((e) => e.incorrect).length).toBeGreaterThan(0);
      expect(examples.filter((e) => !e.incorrect).length).toBeGreaterThan(0);
    });
    const modes = built.rules[rule].meta.docs?.requiresTypeChecking ? [true] : [true, false];
    examples.forEach((example, k) => {
      const before = examples.slice(0, k).filter((e) => e.incorrect).at(-1);
      for (const typed of modes) {
        it(`${example.where} ${example.lead.slice(0, 60)} (${typed ? 'type information' : 'no type information'})`, () => {
          checkExample(rule, example, before, typed);
        });
      }
    });
  });
}
