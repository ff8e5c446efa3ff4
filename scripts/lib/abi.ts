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

export interface Abi {
  version: number;
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
  cached = abi;
  return abi;
}

/** The wasm signature of a call, as written in a function type: "(i32 i32) -> i32". */
export function wasmSignature(abi: Abi, call: AbiCall): string {
  const params = call.params.map(([, t]) => abi.types[t].wasm).join(" ");
  const result = call.result ? abi.types[call.result].wasm : "";
  return `(${params}) -> (${result})`;
}
