// stdlib: one feature of AssemblyScript's standard library per run, picked by the first input
// byte, each check printed as "<check>: ok" or "<check>: FAIL <what came out>":
//   's' String methods and template literals   'a' Array<i32>    'm' Map and Set
//   't' typed arrays                            'f' f64 math and formatting
//   'i' i64 formatting                          'l' strings built in a loop (the stub runtime never frees)
import { clock_monotonic, console_read, wait } from "../../../abi/gen/kernel";
import { print, println } from "../../../kernel/base/console";

function check(name: string, got: string, want: string): void {
  print(name);
  if (got == want) println(": ok");
  else {
    print(": FAIL ");
    println(got);
  }
}

function strings(): void {
  check("toUpperCase", "abc".toUpperCase(), "ABC");
  check("split", "a,b,c".split(",").length.toString(), "3");
  check("indexOf", "hello".indexOf("l").toString(), "2");
  check("repeat", "x".repeat(3), "xxx");
  check("template", `${1 + 2} and ${"b"}`, "3 and b");
}

function arrays(): void {
  const a: i32[] = [5, 3, 1, 4, 2];
  a.sort();
  check("sort", a.join(","), "1,2,3,4,5");
  check("map", a.map<i32>((x: i32) => x * 2).join(","), "2,4,6,8,10");
  check("filter", a.filter((x: i32) => x % 2 == 1).length.toString(), "3");
  a.push(6);
  check("push", a.length.toString(), "6");
}

function maps(): void {
  const m = new Map<i32, i32>();
  for (let i = 0; i < 10; i++) m.set(i, i * i);
  check("Map.get", m.get(7).toString(), "49");
  check("Map.size", m.size.toString(), "10");
  const s = new Set<string>();
  s.add("a");
  s.add("b");
  s.add("a");
  check("Set.size", s.size.toString(), "2");
}

function typed(): void {
  const bytes = new Uint8Array(16);
  bytes.fill(7);
  check("fill", bytes[15].toString(), "7");
  check("subarray", bytes.subarray(4, 8).length.toString(), "4");
  check("reduce", bytes.reduce<i32>((sum: i32, b: u8) => sum + b, 0).toString(), "112");
}

function floats(): void {
  check("sqrt", (<i32>(Math.sqrt(2.0) * 1000)).toString(), "1414");
  check("f64 toString", (1.5).toString(), "1.5");
  check("parseFloat", (parseFloat("2.25") * 4).toString(), "9.0");
}

function longs(): void {
  check("i64 toString", (<i64>-9007199254740993).toString(), "-9007199254740993");
  check("u64 toString", u64.MAX_VALUE.toString(), "18446744073709551615");
}

function loop(): void {
  // Every concatenation allocates; the stub runtime frees nothing, so the heap cap ends it.
  let total = 0;
  for (let i = 0; i < 100000; i++) {
    const s = "item " + i.toString();
    total += s.length;
  }
  check("loop", total > 0 ? "done" : "none", "done");
}

export function main(): i32 {
  const cell = memory.data(1);
  // Polled: the console hypercall has no interrupt, so wait in 1 ms steps.
  while (console_read(cell, 1) == 0) wait(clock_monotonic() + 1_000_000);
  const which = load<u8>(cell);
  if (which == 0x73) strings();
  else if (which == 0x61) arrays();
  else if (which == 0x6d) maps();
  else if (which == 0x74) typed();
  else if (which == 0x66) floats();
  else if (which == 0x69) longs();
  else if (which == 0x6c) loop();
  else return 2;
  return 0;
}
