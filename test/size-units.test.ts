// Pure logic of anyk size, on hand-made inputs: the line table, the linker map, the source map's
// VLQ numbers, splitting bytes by shares, AssemblyScript string segments and the heap's block chain.
import { describe, expect, it } from "vitest";
import { parseDecodedLines } from "../scripts/lib/size/lines.js";
import { parseLinkMap } from "../scripts/lib/size/linkmap.js";
import { decodeVlq, split } from "../scripts/lib/size/sourcemap.js";
import { segmentString } from "../scripts/lib/size/data-segments.js";
import { heapHighWater } from "../scripts/lib/heap.js";

describe("the DWARF line table", () => {
  it("turns rows into address ranges, ending a sequence at '-', with files from CU and file headings", () => {
    const text = [
      "CU: ../../libgcc/libgcc2.c:",
      "File name                            Line number    Starting address    View    Stmt",
      "libgcc2.c                                    996              0x1880               x",
      "libgcc2.c                                    997              0x1880       1       x",
      "libgcc2.c                                   1001              0x1884",
      "libgcc2.c                                      -              0x1890",
      "",
      "./platform/cortex-m/stub.c:",
      "stub.c                                        45                0x58               x",
      "./platform/cortex-m/stub.h:",
      "stub.h                                        43                0x5c",
      "stub.h                                         -                0x60",
    ].join("\n");
    expect(parseDecodedLines(text)).toEqual([
      { start: 0x58, end: 0x5c, file: "./platform/cortex-m/stub.c", line: 45 },
      { start: 0x5c, end: 0x60, file: "./platform/cortex-m/stub.h", line: 43 },
      { start: 0x1880, end: 0x1884, file: "../../libgcc/libgcc2.c", line: 997 },
      { start: 0x1884, end: 0x1890, file: "../../libgcc/libgcc2.c", line: 1001 },
    ]);
  });
});

describe("the linker map", () => {
  it("reads input sections on one line or two, with their origin, and the linker's fill", () => {
    const text = [
      "Archive member included to satisfy reference by file (symbol)",
      "Linker script and memory map",
      ".text           0x00000000     0x2014",
      " .text.stub_exit",
      "                0x0000009c       0xd8 /tmp/cc1.ltrans0.ltrans.o",
      "                0x0000009c                stub_exit",
      " *fill*         0x00000174        0x2 ",
      " .text          0x00001850       0x30 /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7-m/nofp/libgcc.a(_aeabi_uldivmod.o)",
      " .bss.empty     0x20000000        0x0 /tmp/cc1.ltrans0.ltrans.o",
    ].join("\n");
    expect(parseLinkMap(text)).toEqual([
      { name: ".text.stub_exit", address: 0x9c, size: 0xd8, origin: "/tmp/cc1.ltrans0.ltrans.o" },
      { name: "*fill*", address: 0x174, size: 2, origin: "" },
      { name: ".text", address: 0x1850, size: 0x30, origin: "/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7-m/nofp/libgcc.a(_aeabi_uldivmod.o)" },
    ]);
  });
});

describe("source map numbers", () => {
  it("decodes Base64 VLQ segments", () => {
    expect(decodeVlq("AAAA")).toEqual([0, 0, 0, 0]);
    expect(decodeVlq("SAAQ")).toEqual([9, 0, 0, 8]);
    expect(decodeVlq("D")).toEqual([-1]);
    expect(decodeVlq("2H")).toEqual([123]);
  });

  it("splits bytes by shares into whole bytes that add up", () => {
    const a = { name: "a", kind: "component" as const }, b = { name: "b", kind: "component" as const };
    expect(split(10, [{ owner: a, bytes: 1 }, { owner: b, bytes: 2 }])).toEqual([{ owner: a, bytes: 3 }, { owner: b, bytes: 7 }]);
    expect(split(7, [{ owner: a, bytes: 5 }])).toEqual([{ owner: a, bytes: 7 }]);
    expect(split(3, [])).toEqual([]);
  });
});

describe("AssemblyScript string segments", () => {
  it("reads a string object whose trailing zero bytes binaryen dropped, and nothing else", () => {
    const text = Buffer.from("ab", "utf16le"); // 61 00 62 00
    const header = Buffer.from([2, 0, 0, 0, 4, 0, 0, 0]); // runtime id 2 (String), 4 bytes
    expect(segmentString(Buffer.concat([header, text.subarray(0, 3)]))).toBe("ab");
    expect(segmentString(Buffer.from([0x2c]))).toBeUndefined();
    expect(segmentString(Buffer.from([1, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4]))).toBeUndefined();
  });
});

describe("the heap's high-water mark", () => {
  it("follows the bump allocator's block headers from the aligned start to the first zero", () => {
    const memory = new Uint8Array(256);
    const view = new DataView(memory.buffer);
    // Heap base 100: the first payload is 16-byte aligned at 112, so its header sits at 108.
    view.setUint32(108, 28, true);
    view.setUint32(108 + 4 + 28, 12, true);
    expect(heapHighWater(memory, 100)).toBe(108 + 4 + 28 + 4 + 12 - 100);
    expect(heapHighWater(new Uint8Array(256), 100)).toBe(0);
  });
});
