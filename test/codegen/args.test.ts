import { describe, expect, it } from 'vitest';
import { parseCodegenArgs } from '../../tools/codegen/index.js';

describe('parseCodegenArgs', () => {
  it('reads the module, the function and the options', () => {
    expect(parseCodegenArgs(['a.js', 'f', '--args', '[1, "x"]', '--args=[2]', '--calls', '50', '--node', '22', '--full'])).toEqual({
      kind: 'run',
      options: { file: 'a.js', functionName: 'f', args: [[1, 'x'], [2]], driver: undefined, boot: undefined, calls: 50, node: '22', full: true, raw: false },
    });
    expect(parseCodegenArgs(['--driver', 'd.js', 'a.js', 'f', '--boot', 'b.js'])).toMatchObject({
      kind: 'run',
      options: { driver: 'd.js', boot: 'b.js', args: [], calls: 1000 },
    });
  });

  it('explains what is wrong', () => {
    const message = (argv: string[]) => {
      const r = parseCodegenArgs(argv);
      return r.kind === 'error' ? r.message : r.kind;
    };
    expect(message(['a.js'])).toBe('expected <file.js> <function>, got a.js');
    expect(message(['a.js', 'f', '--args', '5'])).toBe("--args 5: give the arguments of one call as a JSON array, e.g. --args '[5]'");
    expect(message(['a.js', 'f', '--args', '[1,'])).toBe('--args [1,: not valid JSON');
    expect(message(['a.js', 'f', '--calls', '0'])).toMatch(/^--calls 0/);
    expect(message(['a.js', 'f', '--node', '22; rm -rf'])).toMatch(/not a version/);
    expect(message(['a.js', 'f', '--driver', 'd.js', '--args', '[1]'])).toBe('give --args or --driver, not both');
    expect(message(['a.js', 'f', '--fast'])).toBe('unknown option --fast');
    expect(message(['a.js', '--help'])).toBe('help');
  });
});
