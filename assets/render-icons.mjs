#!/usr/bin/env node
// Renders assets/icon.svg into the PNGs electron-builder packs (it makes .ico and .icns
// from them): icon.png 512 (Windows), icon-1024.png (macOS), icons/NxN.png (Linux).
// Run after editing the SVG:  node assets/render-icons.mjs [path/to/chromium]
// Uses headless Chromium (Debian's /usr/bin/chromium by default), which draws SVG exactly
// as the app's own renderer does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.argv[2] ?? '/usr/bin/chromium';
const svgUrl = pathToFileURL(join(here, 'icon.svg')).href;
const work = mkdtempSync(join(tmpdir(), 'cplan-icons-'));
// Chromium will not make a window smaller than this; smaller icons are cropped from it.
const MIN_WINDOW = 64;

const outputs = [
  ...[16, 32, 48, 64, 128, 256, 512].map((size) => ({ size, file: join(here, 'icons', `${size}x${size}.png`) })),
  { size: 512, file: join(here, 'icon.png') },
  { size: 1024, file: join(here, 'icon-1024.png') },
];

mkdirSync(join(here, 'icons'), { recursive: true });
try {
  for (const { size, file } of outputs) {
    const window = Math.max(size, MIN_WINDOW);
    const page = join(work, `icon-${size}.html`);
    const shot = join(work, `icon-${size}.png`);
    writeFileSync(
      page,
      `<!doctype html><style>html,body{margin:0;background:transparent}img{display:block;width:${size}px;height:${size}px}</style><img src="${svgUrl}">`,
    );
    execFileSync(chromium, [
      '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
      '--default-background-color=00000000', `--window-size=${window},${window}`,
      `--screenshot=${shot}`, pathToFileURL(page).href,
    ], { stdio: 'ignore' });
    writeFileSync(file, encodePng(crop(decodePng(readFileSync(shot)), size)));
    console.log(`${file} (${size}x${size})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** 8-bit RGBA, non-interlaced PNGs only: what Chromium writes for screenshots. */
function decodePng(data) {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0) throw new Error('expected an 8-bit RGBA PNG');
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rows = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const row = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x += 1) {
      const a = x >= 4 ? row[x - 4] : 0;
      const b = previous[x];
      const c = x >= 4 ? previous[x - 4] : 0;
      if (filter === 1) row[x] = (row[x] + a) & 255;
      else if (filter === 2) row[x] = (row[x] + b) & 255;
      else if (filter === 3) row[x] = (row[x] + ((a + b) >> 1)) & 255;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        row[x] = (row[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
    }
    rows.push(row);
    previous = row;
  }
  return { width, height, rows };
}

function crop(image, size) {
  return { width: size, height: size, rows: image.rows.slice(0, size).map((row) => row.subarray(0, size * 4)) };
}

function encodePng({ width, height, rows }) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, body) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.concat(rows.map((row) => Buffer.concat([Buffer.from([0]), row])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
