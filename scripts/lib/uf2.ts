// UF2 (Microsoft's USB flashing format, used by the micro:bit's and many boards' drag-and-drop
// loaders): the image in 512-byte blocks, each carrying 256 bytes for one flash address, the block
// number and count, and the board family's ID.

const MAGIC_START0 = 0x0a324655;
const MAGIC_START1 = 0x9e5d5157;
const MAGIC_END = 0x0ab16f30;
const FLAG_FAMILY_ID = 0x00002000;
const BLOCK = 512;
const PAYLOAD = 256;

export function toUf2(bin: Uint8Array, baseAddress: number, familyId: number): Buffer {
  const count = Math.ceil(bin.length / PAYLOAD);
  const out = Buffer.alloc(count * BLOCK);
  for (let i = 0; i < count; i++) {
    const block = out.subarray(i * BLOCK, (i + 1) * BLOCK);
    block.writeUInt32LE(MAGIC_START0, 0);
    block.writeUInt32LE(MAGIC_START1, 4);
    block.writeUInt32LE(FLAG_FAMILY_ID, 8);
    block.writeUInt32LE(baseAddress + i * PAYLOAD, 12);
    block.writeUInt32LE(PAYLOAD, 16);
    block.writeUInt32LE(i, 20);
    block.writeUInt32LE(count, 24);
    block.writeUInt32LE(familyId, 28);
    block.set(bin.subarray(i * PAYLOAD, (i + 1) * PAYLOAD), 32);
    block.writeUInt32LE(MAGIC_END, BLOCK - 4);
  }
  return out;
}
