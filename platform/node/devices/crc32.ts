// The Ethernet FCS (IEEE 802.3 CRC-32, reflected, polynomial 0xEDB88320), as MACs append it to
// received frames. Kept here: a platform may not import the CLI's loader code, which has its own.
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}
