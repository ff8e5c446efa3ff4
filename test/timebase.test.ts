// The stub's clock on the micro:bit: a real nRF51 has no SysTick, so the stub keeps time with the
// TIMER the board file names as its timebase. QEMU's trace events are the referee: SysTick is
// never touched, and the wraps the stub counts match the guest time that passed.
import { describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";

const TRACE = ["--trace", "systick_*", "--trace", "nrf51_timer_write"];

async function clockWraps(bits: number) {
  const env = { ANYK_BUILD_DIR: tempBuildDir(`timebase-${bits}`), ANYK_CFLAGS: `-DANYK_TIMEBASE_BITS=${bits}` };
  const r = await anyk(["boot", "test/apps/clock-wraps", "--board", "microbit", ...TRACE, "--timeout", "60"], { env, timeoutMs: 120_000 });
  const m = /^elapsed (\d+) us, latest wake-up (\d+) us late, early (\d+), backwards (\d+)$/m.exec(r.stdout);
  expect(m, r.stdout + r.stderr.slice(-500)).not.toBeNull();
  const trace = r.stderr.split("\n").filter((l) => l.startsWith("qemu: "));
  return { code: r.code, elapsedUs: Number(m![1]), lateUs: Number(m![2]), early: Number(m![3]), backwards: Number(m![4]), trace };
}

/** Writes that clear TIMER2's COMPARE[0] event: one when the clock starts, then one per wrap. */
const wrapClears = (trace: string[]) => trace.filter((l) => /nrf51_timer_write timer 2 write addr 0x140 data 0x0\b/.test(l)).length;

describe("the micro:bit's clock", () => {
  it("runs on TIMER2 and never touches SysTick", async () => {
    const run = await clockWraps(32);
    expect(run.code).toBe(0);
    expect(run.trace.filter((l) => /systick/.test(l))).toEqual([]);
    const timers = new Set(run.trace.map((l) => /nrf51_timer_write timer (\d+)/.exec(l)?.[1]).filter((t) => t !== undefined));
    expect([...timers]).toEqual(["2"]);
    // 40 waits of 10 ms, each ending at or after its deadline.
    expect(run.early).toBe(0);
    expect(run.elapsedUs).toBeGreaterThanOrEqual(400_000);
    // Starting the clock is not a wrap, and 32 bits of microseconds do not wrap within the run.
    expect(wrapClears(run.trace)).toBe(1);
  }, 150_000);

  it("stays in order and on time across counter wraps (built with a 16-bit counter: 65.5 ms a wrap)", async () => {
    const run = await clockWraps(16);
    expect(run.backwards).toBe(0);
    expect(run.early).toBe(0);
    expect(run.code).toBe(0);
    // Starting the clock is not a wrap; the run spans 6 of them. test/timers.test.ts checks this
    // clock against another device model (TIMER0) across wraps.
    expect(wrapClears(run.trace) - 1).toBeGreaterThanOrEqual(Math.floor(run.elapsedUs / 65_536));
  }, 150_000);
});
