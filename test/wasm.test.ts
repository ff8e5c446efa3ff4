// The wasm section reader on a module assembled by hand from the binary format's specification.
import { describe, expect, it } from "vitest";
import { readModule, stripCustomSections, WasmFormatError } from "../scripts/lib/wasm.js";

const str = (s: string) => [s.length, ...Buffer.from(s)];
const section = (id: number, payload: number[]) => [id, payload.length, ...payload];

// (import "anyk" "wait" (func (param i64) (result i32))) (func) (export "go" (func 1)) + names
const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [2, 0x60, 1, 0x7e, 1, 0x7f, 0x60, 0, 0]),
  ...section(2, [1, ...str("anyk"), ...str("wait"), 0x00, 0]),
  ...section(3, [1, 1]),
  ...section(7, [1, ...str("go"), 0x00, 1]),
  ...section(10, [1, 2, 0, 0x0b]),
  ...section(0, [...str("name"), 1, 10, 1, 1, ...str("main/go")]),
]);

describe("the wasm reader", () => {
  it("reads imports with their signatures, exports and function names", () => {
    const info = readModule(MODULE);
    expect(info.imports).toEqual([{ module: "anyk", name: "wait", kind: "func", signature: "(i64) -> (i32)" }]);
    expect(info.exports).toEqual([{ name: "go", kind: "func", index: 1 }]);
    expect(info.importedFunctions).toBe(1);
    expect([...info.functionNames]).toEqual([[1, "main/go"]]);
  });

  it("strips custom sections and nothing else", () => {
    const stripped = stripCustomSections(MODULE);
    expect(stripped.length).toBe(MODULE.length - 19);
    const info = readModule(stripped);
    expect(info.functionNames.size).toBe(0);
    expect(info.sections.map((s) => s.id)).toEqual([1, 2, 3, 7, 10]);
    // What remains is still a valid module.
    expect(WebAssembly.validate(stripped)).toBe(true);
  });

  it("rejects what is not wasm, and sections that run past the end", () => {
    expect(() => readModule(Buffer.from("#!/bin/sh\necho"))).toThrow(WasmFormatError);
    expect(() => readModule(MODULE.subarray(0, MODULE.length - 3))).toThrow(/runs past the end/);
  });
});
