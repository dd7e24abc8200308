// The plugin object as ESLint 10 flat config consumes it.
import { Linter } from 'eslint';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyDefault } from '../../eslint-plugin/create-rule.js';
import plugin from '../../eslint-plugin/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('hotpath/eslint-plugin', () => {
  it('has meta, both rules and both configs', () => {
    expect(plugin.meta).toEqual({ name: 'hotpath/eslint-plugin', version: manifest.version });
    expect(Object.keys(plugin.rules).sort()).toEqual(['prefer-subtract-compare', 'valid-static-variable-load']);
    // recommended: rules that work without type information only.
    expect(plugin.configs.recommended.rules).toEqual({ 'hotpath/prefer-subtract-compare': 'error' });
    expect(Object.keys(plugin.configs['recommended-type-checked'].rules ?? {}).sort()).toEqual([
      'hotpath/prefer-subtract-compare',
      'hotpath/valid-static-variable-load',
    ]);
  });

  it('every option has a description and a default', () => {
    const meta = plugin.rules['prefer-subtract-compare'].meta;
    const schema = (meta.schema as unknown as { properties: Record<string, { description?: string }>; additionalProperties: boolean }[])[0]!;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
    for (const [name, property] of Object.entries(schema.properties)) {
      expect(property.description, name).toBeTruthy();
      expect(meta.defaultOptions?.[0], name).toHaveProperty(name);
    }
  });

  it('configs.recommended lints and fixes in a flat config', () => {
    const linter = new Linter({ configType: 'flat' });
    const code = 'export function f(v) { const c = v & 0xff; return c >= 48 && c <= 57; }';
    const result = linter.verifyAndFix(code, [plugin.configs.recommended as Linter.Config]);
    expect(result.output).toBe('export function f(v) { const c = v & 0xff; return (c - 48) >>> 0 <= 9; }');
  });

  it('every rule\'s docs URL is its page in docs/rules', () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      const file = fileURLToPath(rule.meta.docs!.url!);
      expect(file).toBe(fileURLToPath(new URL(`../../docs/rules/${name}.md`, import.meta.url)));
      expect(existsSync(file), name).toBe(true);
    }
  });

  it('options: the user\'s over the defaults, objects merged, defaults untouched', () => {
    const defaults = [{ a: false, nested: { x: 1, y: 2 } }, 'mode'] as const;
    expect(applyDefault(defaults, undefined)).toEqual(defaults);
    expect(applyDefault(defaults, undefined)).not.toBe(defaults);
    expect(applyDefault(defaults, [{ nested: { y: 3 } }])).toEqual([{ a: false, nested: { x: 1, y: 3 } }, 'mode']);
    expect(applyDefault(defaults, [undefined, 'other'])).toEqual([{ a: false, nested: { x: 1, y: 2 } }, 'other']);
    expect(defaults[0].nested.y).toBe(2);
  });
});
