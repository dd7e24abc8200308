import { execFileSync } from 'node:child_process';

/** The node binary for a major version: this process's, or one fetched by npx (undefined if npx cannot). */
export function nodeBinary(major: number): string | undefined {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  try {
    const out = execFileSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 120_000,
    });
    return out.trim().split('\n').pop();
  } catch {
    return undefined;
  }
}
