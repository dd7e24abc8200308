// "Node N through npx", once for the repository's own tools (bench/, scripts/, test/): the
// path of a node binary of another version, asked of `npx -y -p node@<spec> node` once, so
// that npx's own start-up (seconds) lands in no figure and no test's time. The package
// itself has its own copy in tools/codegen/ (`hotpath codegen --node`), which cannot import this.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * npx's arguments that run `node <args…>` of version `spec` (a major, or any npm range).
 * @param {string | number} spec
 * @param {readonly string[]} [args]
 * @returns {string[]}
 */
export function npxNodeArgs(spec, args = []) {
  return ['-y', '-p', `node@${spec}`, 'node', ...args];
}

const ASK_PATH = ['-p', 'process.execPath'];

/**
 * The last line npx printed (npm may print notices first), if npx succeeded and it names a file.
 * @param {number | null} status
 * @param {string} stdout
 * @returns {string | undefined}
 */
function binaryOf(status, stdout) {
  const bin = stdout.trim().split('\n').pop();
  return status === 0 && bin && existsSync(bin) ? bin : undefined;
}

/**
 * @typedef {{ bin: string, error?: undefined } | { bin?: undefined, error: string }} NodeLookup
 *   the binary, or why there is none (npx's stderr)
 */

/**
 * The node binary of version `spec`, fetched by npx (blocks until npx answers).
 * @param {string | number} spec
 * @param {{ timeout?: number }} [options] milliseconds; 0 or none: no limit
 * @returns {NodeLookup}
 */
export function nodeThroughNpxSync(spec, { timeout = 0 } = {}) {
  const r = spawnSync('npx', npxNodeArgs(spec, ASK_PATH), { encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  const bin = binaryOf(r.status, r.stdout ?? '');
  return bin !== undefined ? { bin } : { error: `npx -y -p node@${spec} node failed:\n${r.stderr ?? r.error?.message ?? ''}` };
}

/**
 * The node binary of version `spec`, fetched by npx, without blocking.
 * @param {string | number} spec
 * @param {{ timeout?: number }} [options] milliseconds; 0 or none: no limit
 * @returns {Promise<NodeLookup>}
 */
export function nodeThroughNpx(spec, { timeout = 0 } = {}) {
  return new Promise((done) => {
    execFile('npx', npxNodeArgs(spec, ASK_PATH), { encoding: 'utf8', timeout }, (error, stdout, stderr) => {
      const bin = binaryOf(error ? 1 : 0, stdout);
      done(bin !== undefined ? { bin } : { error: `npx -y -p node@${spec} node failed:\n${stderr || error?.message || ''}` });
    });
  });
}

/**
 * Whether `major` is this process's major version (its own binary serves then, no npx).
 * @param {number} major
 * @returns {boolean}
 */
export function isThisMajor(major) {
  return Number(process.versions.node.split('.')[0]) === major;
}
