/**
 * Every relative Markdown link in README.md and docs/**\/*.md leads somewhere: the file (or
 * folder) exists in the repository, and a `#anchor` is a heading of the target page, slugged
 * as GitHub slugs headings (github-slugger: lowercase, punctuation other than `-` and `_`
 * dropped, each space a `-`, a repeated slug `-1`, `-2`, …). Links in code are not links.
 * A page that moves, or a heading that is reworded, fails here until its links follow.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
  );
}

/** The lines of a page outside fenced code blocks (``` or ~~~, indented or not), with their line numbers. */
function proseLines(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, i) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (open && open[1]![0] === fence[0] && open[1]!.length >= fence.length && line.trim() === open[1]) fence = undefined;
    } else if (open) {
      fence = open[1]!;
    } else {
      out.push({ line, n: i + 1 });
    }
  });
  return out;
}

/** A line cut into code spans and the rest. */
function spans(line: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const re = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  let at = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out.push({ code: false, text: line.slice(at, m.index) }, { code: true, text: m[2]!.trim() });
    at = m.index + m[0].length;
  }
  out.push({ code: false, text: line.slice(at) });
  return out;
}

/** GitHub's slug of a heading's text as rendered (github-slugger's `slug`, without the duplicate counter). */
function slugOf(rendered: string): string {
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** A heading's source as GitHub renders its text: code spans literal; links, images, tags and emphasis reduced to their text. */
function renderedHeading(source: string): string {
  return spans(source)
    .map((s) =>
      s.code
        ? s.text
        : s.text
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]*>/g, '')
            .replace(/\\(.)/g, '$1')
            .replace(/\*+/g, ''),
    )
    .join('');
}

/** Every anchor a page has: its headings' slugs, numbered as GitHub numbers repeats, and `<a id|name="…">`. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { line } of proseLines(text)) {
    const h = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (h) {
      const base = slugOf(renderedHeading(h[1]!));
      let slug = base;
      while (seen.has(slug)) {
        const count = seen.get(base)! + 1;
        seen.set(base, count);
        slug = `${base}-${String(count)}`;
      }
      seen.set(slug, 0);
      anchors.add(slug);
    }
    for (const s of spans(line)) {
      if (!s.code) for (const a of s.text.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) anchors.add(a[1]!);
    }
  }
  return anchors;
}

/** The relative links of a page (`[text](target)` and images, outside code), as `{ target, n }`. */
function linksOf(text: string): { target: string; n: number }[] {
  const out: { target: string; n: number }[] = [];
  for (const { line, n } of proseLines(text)) {
    const prose = spans(line)
      .map((s) => (s.code ? 'code' : s.text))
      .join('');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//')) out.push({ target, n });
    }
  }
  return out;
}

/** What is wrong with one link of `file` (a repository path), or undefined. */
function problemOf(file: string, target: string): string | undefined {
  const hash = target.indexOf('#');
  const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = pathPart === '' ? file : pathPart.startsWith('/') ? pathPart.slice(1) : path.join(path.dirname(file), pathPart);
  const full = path.join(root, resolved);
  if (!existsSync(full)) return `no file ${resolved}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!resolved.endsWith('.md') || !statSync(full).isFile()) return undefined; // line anchors of source files and the like
  return anchorsOf(readFileSync(full, 'utf8')).has(anchor) ? undefined : `no heading #${anchor} in ${resolved}`;
}

/** Every broken relative link of the given pages, as `file:line: target: problem`. */
function brokenLinks(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    linksOf(readFileSync(path.join(root, file), 'utf8')).flatMap(({ target, n }) => {
      const problem = problemOf(file, target);
      return problem === undefined ? [] : [`${file}:${String(n)}: ${target}: ${problem}`];
    }),
  );
}

describe('links in README.md and docs/', () => {
  it('slugs headings as GitHub does', () => {
    expect(slugOf(renderedHeading("`hotpath sites <dir>`: the same sites over any compiler's JavaScript"))).toBe(
      'hotpath-sites-dir-the-same-sites-over-any-compilers-javascript',
    );
    expect(slugOf(renderedHeading('HP1001 — not exactly one argument (error)'))).toBe('hp1001--not-exactly-one-argument-error');
    expect(slugOf(renderedHeading('The API (`hotpath/compiler`)'))).toBe('the-api-hotpathcompiler');
    expect(slugOf(renderedHeading('What `STATIC_VARIABLE_LOAD` does, *briefly*'))).toBe('what-static_variable_load-does-briefly');
    expect([...anchorsOf('# A\n## Limits\n```\n## Not a heading\n```\n### Limits\n#### Limits-1\n## Limits\n')]).toEqual([
      'a',
      'limits',
      'limits-1',
      'limits-1-1',
      'limits-2',
    ]);
  });

  it('finds links outside code only, and only relative ones', () => {
    const page = '[a](x.md#y) `[b](code.md)` [c](https://example.com) [d](#here "title")\n```\n[e](fenced.md)\n```\n![f](img.svg)';
    expect(linksOf(page).map((l) => l.target)).toEqual(['x.md#y', '#here', 'img.svg']);
  });

  it('every relative link leads to a file that exists, and every #anchor to a heading of it', () => {
    const files = ['README.md', ...markdownFiles('docs')];
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => linksOf(readFileSync(path.join(root, f), 'utf8'))).length).toBeGreaterThan(50);
    expect(brokenLinks(files)).toEqual([]);
  });
});
