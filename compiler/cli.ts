#!/usr/bin/env node
/**
 * The `hotpath` command: `hotpath build …` (compiler/build.ts), `hotpath sites …`
 * (compiler/js/sites.ts) and `hotpath codegen …` (tools/codegen/). Thin: parses the
 * command name and sets the exit code.
 */
import { BUILD_HELP, hotpathVersion, runBuild } from './build.js';
import { loadTypeScript } from '../checks/typescript.js';
import module from 'node:module';

function enableCompileCache(): void {
  try {
    (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // a cache that cannot be written costs the time it always did
  }
}

const HELP = `Usage: hotpath <command> [options]

Commands:
  build [-p tsconfig.json]    compile like \`tsc -p\`, with STATIC_VARIABLE_LOAD patch sites
  sites <dir>                 the same patch sites over JavaScript any compiler emitted (tsgo, swc, esbuild, Babel), in place
  codegen <file.js> <fn>      see docs/codegen.md

hotpath build --help prints the build options; hotpath sites --help the sites options.
`;

/** Runs the command line `args` (without node and the script); returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'build': {
      // Loaded once, here; without a usable one runBuild prints HP1012 (help and version still answer).
      // V8's code cache for TypeScript (9 MB of JavaScript), as tsc's own entry enables it:
      // Node >= 22.1; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
      enableCompileCache();
      const load = loadTypeScript();
      return runBuild(rest, undefined, load.ok ? load.ts : undefined);
    }
    case 'sites': {
      // Needs no TypeScript: the JavaScript-level front end (compiler/js/).
      const { runSites } = await import('./js/sites.js');
      return runSites(rest);
    }
    case 'codegen': {
      // Loaded on demand: the build never pays for it, and it lives in its own room (tools/codegen/).
      const specifier = '../tools/codegen/index.js';
      const codegen = (await import(specifier)) as { runCodegen?: (args: string[]) => Promise<number> };
      if (typeof codegen.runCodegen !== 'function') {
        process.stderr.write('hotpath codegen is not available in this build\n');
        return 1;
      }
      return codegen.runCodegen(rest);
    }
    case '-v':
    case '--version':
      process.stdout.write(`${hotpathVersion()}\n`);
      return 0;
    case '-h':
    case '--help':
      process.stdout.write(`${HELP}\n${BUILD_HELP}`);
      return 0;
    default:
      process.stderr.write(command === undefined ? HELP : `hotpath: unknown command '${command}'\n\n${HELP}`);
      return 1;
  }
}

// `hotpath build | head`: a reader that closes early ends the output, not the process with
// a stack trace (the build's files are written before its diagnostics are printed).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug in hotpath itself gets here: user code is reported as diagnostics.
    process.stderr.write(`hotpath: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
