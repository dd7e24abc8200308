/** Writes the boot test app into a fresh temp dir (node_modules/hotpath linked to this repository); returns the dir. */
export function writeBootApp(): string;
export const POOL_SIZE: number;
