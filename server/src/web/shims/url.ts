// node:url for the browser bundle: only file: URLs, which the browser never hands the server.
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(String(url)).pathname);
}

export function pathToFileURL(path: string): URL {
  return new URL('file://' + path.split('/').map(encodeURIComponent).join('/'));
}
