import { gunzipSync } from 'node:zlib';

/** The file `name` in a gzipped tar layer (ustar: 512-byte headers, contents padded to 512). */
export function fileInLayer(layer: Buffer, name: string): string | undefined {
  const tar = gunzipSync(layer);
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    const entry = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (entry === '') return undefined;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (entry.replace(/^\.?\//, '') === name)
      return tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
