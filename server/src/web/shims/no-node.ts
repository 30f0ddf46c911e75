// node:fs, node:os, node:worker_threads and node:crypto for the browser bundle (esbuild.mjs aliases them
// here). The browser server never calls them: its machine (web-machine.ts) reads files through the
// editor, and it starts no threads. Should one be reached anyway, it fails loudly instead of guessing.
function absent(name: string): never {
  throw new Error(`${name} is not available in the browser`);
}

export const constants = {} as Record<string, number>;
export const lstatSync = (): never => absent('lstat');
export const statSync = (): never => absent('stat');
export const fstatSync = (): never => absent('fstat');
export const statfsSync = (): never => absent('statfs');
export const openSync = (): never => absent('open');
export const closeSync = (): never => absent('close');
export const readSync = (): never => absent('read');
export const readFileSync = (): never => absent('readFile');
export const writeFileSync = (): never => absent('writeFile');
export const readdirSync = (): never => absent('readdir');
export const realpathSync = (): never => absent('realpath');
export const networkInterfaces = (): never => absent('networkInterfaces');
export const createHash = (): never => absent('createHash');
export const isMainThread = true;
export const parentPort = null;
export class Worker {
  constructor() {
    absent('worker_threads');
  }
}
