// One variant, one process: `node bench/lib/child.js <scenario file> <variant> <work dir>`.
// Prints one line `@@result <json>` for the harness; everything else is for humans.
import { pathToFileURL } from 'node:url';

const [scenarioFile, variant, workDir] = process.argv.slice(2);
if (scenarioFile === undefined) throw new Error('usage: node bench/lib/child.js <scenario file> <variant> <work dir>');
const { default: scenario } = await import(pathToFileURL(scenarioFile).href);
const result = await scenario.measure(variant, { workDir });
const versions = { node: process.version, v8: process.versions.v8 };
process.stdout.write(`\n@@result ${JSON.stringify({ ...result, samples: result.samples ?? [], versions })}\n`);
