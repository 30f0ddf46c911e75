// Draws the extension icon (128x128 PNG): a teal rounded square with a white heartbeat line, the
// "keepalive" of keepalived. Procedural so the repository holds no binary we cannot regenerate.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const px = Buffer.alloc(N * N * 4);
const line = [
  [14, 70],
  [44, 70],
  [54, 40],
  [66, 96],
  [78, 58],
  [86, 70],
  [114, 70],
];

function distToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}
function insideRounded(x, y, r = 24) {
  const cx = Math.min(Math.max(x, r), N - r),
    cy = Math.min(Math.max(y, r), N - r);
  return Math.hypot(x - cx, y - cy) <= r;
}
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const i = (y * N + x) * 4;
    if (!insideRounded(x + 0.5, y + 0.5)) continue;
    const shade = 1 - y / (N * 2.2);
    let [r, g, b] = [Math.round(16 * shade), Math.round(128 * shade), Math.round(136 * shade)];
    let d = Infinity;
    for (let k = 0; k + 1 < line.length; k++)
      d = Math.min(d, distToSegment(x + 0.5, y + 0.5, line[k], line[k + 1]));
    const alpha = Math.max(0, Math.min(1, 4.5 - d)); // ~9px wide stroke, antialiased edge
    r = Math.round(r + (255 - r) * alpha);
    g = Math.round(g + (255 - g) * alpha);
    b = Math.round(b + (255 - b) * alpha);
    px.set([r, g, b, 255], i);
  }
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) px.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log('wrote images/icon.png');
