// Loads abi/hypercall.json, the single definition of the hypercall ABI, and checks its shape.
import fs from "node:fs";
import path from "node:path";
import { ABI_DIR } from "./paths.js";

export type WasmType = "i32" | "i64";

export interface AbiType {
  wasm: WasmType;
  c: string;
  as: string;
  ts: "number" | "bigint";
}

export interface AbiCall {
  name: string;
  params: Array<[string, string]>;
  result: string | null;
  noreturn?: boolean;
  does: string;
  guarantees: string;
  not: string;
}

export interface AbiConstant {
  name: string;
  type: string;
  value: string;
  doc: string;
}

/** A refusal every platform reports in the same words: "panic: <kind>: <text>", then where. */
export interface AbiFault {
  name: string;
  kind: string;
  /** With placeholders {name:hex}, {name:dec}, {name:str}. */
  text: string;
  doc: string;
}

export interface Abi {
  version: number;
  faults: AbiFault[];
  module: string;
  constants: AbiConstant[];
  types: Record<string, AbiType>;
  calls: AbiCall[];
}

export const ABI_FILE = path.join(ABI_DIR, "hypercall.json");

let cached: Abi | undefined;

export function loadAbi(): Abi {
  if (cached) return cached;
  const abi = JSON.parse(fs.readFileSync(ABI_FILE, "utf8")) as Abi;
  for (const call of abi.calls) {
    for (const t of [...call.params.map((p) => p[1]), ...(call.result ? [call.result] : [])]) {
      if (!abi.types[t]) throw new Error(`${ABI_FILE}: call ${call.name} uses type '${t}', which "types" does not define`);
    }
  }
  abi.faults ??= [];
  for (const fault of abi.faults) faultPieces(fault);
  cached = abi;
  return abi;
}

/** The wasm signature of a call, as written in a function type: "(i32 i32) -> i32". */
export function wasmSignature(abi: Abi, call: AbiCall): string {
  const params = call.params.map(([, t]) => abi.types[t].wasm).join(" ");
  const result = call.result ? abi.types[call.result].wasm : "";
  return `(${params}) -> (${result})`;
}

/** A fault's text split at its placeholders: pieces.length is args.length + 1. */
export function faultPieces(fault: AbiFault): { pieces: string[]; args: Array<{ name: string; format: "hex" | "dec" | "str" }> } {
  const pieces: string[] = [];
  const args: Array<{ name: string; format: "hex" | "dec" | "str" }> = [];
  let rest = fault.text;
  for (;;) {
    const m = /\{(\w+):(\w+)\}/.exec(rest);
    if (!m) break;
    if (!["hex", "dec", "str"].includes(m[2])) throw new Error(`${ABI_FILE}: fault ${fault.name}: placeholder {${m[1]}:${m[2]}} must be :hex, :dec or :str`);
    pieces.push(rest.slice(0, m.index));
    args.push({ name: m[1], format: m[2] as "hex" | "dec" | "str" });
    rest = rest.slice(m.index + m[0].length);
  }
  pieces.push(rest);
  return { pieces, args };
}
