// The hypercall ABI: one definition, three faces that agree with it, and a C header that stands alone.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadAbi } from "../scripts/lib/abi.js";
import { checkImports } from "../scripts/lib/imagecheck.js";
import { anyk, ROOT } from "./helpers/cli.js";

const abi = loadAbi();
const face = (name: string) => fs.readFileSync(path.join(ROOT, "abi", "gen", name), "utf8");

describe("the hypercall ABI", () => {
  it("has the v1 call set", () => {
    expect(abi.version).toBe(1);
    expect(abi.calls.map((c) => c.name)).toEqual([
      "mmio_read8", "mmio_read16", "mmio_read32", "mmio_write8", "mmio_write16", "mmio_write32",
      "clock_monotonic", "wait", "irq_unmask", "console_write", "console_read", "exit", "abort",
    ]);
  });

  it("documents what each call does, guarantees and does not", () => {
    for (const call of abi.calls) {
      for (const text of [call.does, call.guarantees, call.not]) expect(text.length, call.name).toBeGreaterThan(20);
    }
  });

  it("has its generated faces up to date (anyk gen --check)", async () => {
    const r = await anyk(["gen", "--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("declares every call in each face with its types", () => {
    const as = face("kernel.ts");
    const c = face("anyk_hypercall.h");
    const ts = face("hypercall.ts");
    expect(as).toContain("export const ANYK_ABI_VERSION: u32 = 1;");
    expect(c).toContain("#define ANYK_ABI_VERSION 1u");
    expect(ts).toContain("export const ABI_VERSION = 1;");
    expect(as).toContain('@external("anyk", "wait")\nexport declare function wait(deadline: u64): i32;');
    expect(c).toContain("int32_t anyk_wait(uint64_t deadline);");
    expect(ts).toContain("wait(deadline: bigint): number;");
    expect(c).toContain("ANYK_NORETURN void anyk_exit(int32_t code);");
    expect(ts).toContain("exit(code: number): never;");
    for (const call of abi.calls) {
      expect(as).toContain(`@external("anyk", "${call.name}")`);
      expect(c).toMatch(new RegExp(`\\banyk_${call.name}\\(`));
      expect(ts).toMatch(new RegExp(`^  ${call.name}\\(`, "m"));
      // Solo5 style: the header says what each call guarantees and what it does not.
      const doc = c.slice(0, c.indexOf(`anyk_${call.name}(`)).split("/*").pop()!;
      expect(doc).toContain("Guarantees:");
      expect(doc).toContain("Does not:");
    }
  });

  it("has a C header that compiles alone as strict C99", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-header-"));
    const source = path.join(dir, "use.c");
    fs.writeFileSync(source, '#include "anyk_hypercall.h"\nint main(void) { return (int)ANYK_ABI_VERSION - 1; }\n');
    execFileSync("arm-none-eabi-gcc", ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only", "-I", path.join(ROOT, "abi", "gen"), source]);
  });

  it("detects a face edited by hand", async () => {
    const file = path.join(ROOT, "abi", "gen", "hypercall.ts");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-gen-"));
    // Run gen --check on a copy of the project's abi folder with one face changed.
    fs.cpSync(path.join(ROOT, "abi"), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "gen", "hypercall.ts"), fs.readFileSync(file, "utf8").replace("wait(deadline: bigint)", "wait(deadline: number)"));
    const r = await anyk(["gen", "--check"], { env: { ANYK_ABI_DIR: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("hypercall.ts");
    expect(r.stderr).toContain("run 'anyk gen'");
  });
});

describe("the import check", () => {
  it("accepts hypercalls with their signatures", () => {
    expect(checkImports(abi, [{ module: "anyk", name: "wait", kind: "func", signature: "(i64) -> (i32)" }])).toEqual([]);
  });
  it("names an unknown import", () => {
    const [problem] = checkImports(abi, [{ module: "env", name: "seed", kind: "func", signature: "() -> (f64)" }]);
    expect(problem).toMatch(/^imports env\.seed, which is not a hypercall of ABI v1 \(module "anyk": mmio_read8, .*abort\)$/);
  });
  it("names a hypercall imported with the wrong signature", () => {
    const [problem] = checkImports(abi, [{ module: "anyk", name: "exit", kind: "func", signature: "(i64) -> ()" }]);
    expect(problem).toBe("imports anyk.exit as (i64) -> (), but ABI v1 defines it as (i32) -> ()");
  });
  it("refuses an imported memory", () => {
    const [problem] = checkImports(abi, [{ module: "env", name: "memory", kind: "memory" }]);
    expect(problem).toBe("imports memory env.memory; a kernel image may import only hypercall functions");
  });
});
