import { isThisMajor, nodeThroughNpxSync } from '../../scripts/lib/node-through-npx.js';

/** The node binary for a major version: this process's, or one fetched by npx (undefined if npx cannot). */
export function nodeBinary(major: number): string | undefined {
  if (isThisMajor(major)) return process.execPath;
  return nodeThroughNpxSync(major, { timeout: 120_000 }).bin;
}
