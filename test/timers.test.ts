// Timer and RNG drivers on both platforms. In QEMU the hardware timer is checked against the
// stub's clock (another device model: SysTick, or TIMER2 on the micro:bit) and, where QEMU has trace events for it, against the events
// the device itself reported; in userspace, virtual time checks periods exactly, including periods
// longer than the counters hold (the drivers' wrap handling). The nRF51 RNG's bytes are checked to
// come from QEMU's generator: the same -seed gives the same bytes.
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { BOARDS } from "./helpers/boards.js";

let env: Record<string, string>;
beforeAll(() => {
  env = { ANYK_BUILD_DIR: tempBuildDir("timers") };
});

interface Expiries {
  times: number[];
  afterStop: number[];
}

/** Runs timer-edges with one "<period> <count>" line per request and parses what it reports. */
async function runTimer(platform: "boot" | "run", board: string, requests: Array<[number, number]>, extra: string[] = [], runEnv = env) {
  const dialog = requests.map(([period, count], i) => ({ after: i === 0 ? "timer-edges: ready\n" : "after stop", send: `${period} ${count}\n` }));
  dialog.push({ after: "after stop", send: "q\n" });
  // Each turn waits for the previous request's report: "after stop" appears once per request.
  dialog.forEach((turn, i) => i > 0 && (turn.after = "after stop"));
  const r = await anyk([platform, "test/apps/timer-edges", "--board", board, "--timeout", platform === "run" ? "7200" : "60", ...extra], { env: runEnv, dialog, timeoutMs: 90_000 });
  const runs: Expiries[] = [];
  let current: Expiries = { times: [], afterStop: [] };
  for (const line of r.stdout.split("\n")) {
    const expiry = /^expiry (\d+) at (\d+) us$/.exec(line);
    if (expiry) current.times.push(Number(expiry[2]));
    const stop = /^after stop (\d+)$/.exec(line);
    if (stop) {
      current.afterStop.push(Number(stop[1]));
      runs.push(current);
      current = { times: [], afterStop: [] };
    }
  }
  return { ...r, runs };
}


/** QEMU trace events in which the timer reports an expiry to the kernel that reads it. */
const TIMER_REFEREES: Record<string, { event: string; expiry: RegExp }> = {
  // INTSTATUS (offset 0xc) read as 1
  "mps2-an385": { event: "cmsdk_apb_timer_read", expiry: /cmsdk_apb_timer_read .*offset 0xc data 0x1 /i },
  // EVENTS_COMPARE[0] (0x140) of TIMER0 read as 1 (TIMER2 is the stub's clock)
  microbit: { event: "nrf51_timer_read", expiry: /nrf51_timer_read timer 0 read addr 0x140 data 0x1 /i },
};

describe.each(BOARDS)("hardware timer on %s", (board) => {
  it("boot: expires every period by the stub's clock, and not after stop", async () => {
    const referee = TIMER_REFEREES[board];
    const r = await runTimer("boot", board, [[50_000, 6]], referee ? ["--trace", referee.event] : []);
    expect(r.code, r.stderr).toBe(0);
    const [run] = r.runs;
    expect(run.times).toHaveLength(6);
    expect(run.afterStop).toEqual([0]);
    if (board === "netduinoplus2") {
      // QEMU 7.2's STM32 timer model adds the absolute time of the last counter write to every
      // period, so only the count and the order of its expiries can be checked here.
      for (let i = 1; i < run.times.length; i++) expect(run.times[i]).toBeGreaterThan(run.times[i - 1]);
    } else {
      // Expiry i is seen at i periods after the start at the earliest, and soon after.
      run.times.forEach((t, i) => {
        expect(t).toBeGreaterThanOrEqual((i + 1) * 50_000 * 0.99);
        expect(t).toBeLessThan((i + 1) * 50_000 + 40_000);
      });
    }
    if (referee) {
      const reported = r.stderr.split("\n").filter((l) => referee.expiry.test(l)).length;
      expect(reported).toBe(6);
    }
  }, 120_000);

  it("run: expires exactly every period in virtual time, and restarts", async () => {
    const r = await runTimer("run", board, [[10_000, 5], [2_500, 4]]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.runs.map((x) => x.afterStop)).toEqual([[0], [0]]);
    for (const [run, period] of [[r.runs[0], 10_000], [r.runs[1], 2_500]] as const) {
      expect(run.times.map((t, i) => Math.round(t / period) - (i + 1))).toEqual(run.times.map(() => 0));
      run.times.forEach((t, i) => expect(Math.abs(t - (i + 1) * period)).toBeLessThanOrEqual(2));
    }
  }, 120_000);

  it("run: a period longer than the counter holds (10 minutes) still expires on time", async () => {
    const period = 600_000_000;
    const r = await runTimer("run", board, [[period, 3]]);
    expect(r.code, r.stderr).toBe(0);
    const [run] = r.runs;
    expect(run.afterStop).toEqual([0]);
    // Within 20 ppm: a board's crystal is no better.
    run.times.forEach((t, i) => expect(Math.abs(t - (i + 1) * period)).toBeLessThanOrEqual((i + 1) * period * 20e-6));
  }, 120_000);
});

describe("the micro:bit's clock (TIMER2) against TIMER0", () => {
  it("boot: a stub clock built with a 16-bit counter (a wrap every 65.5 ms) sees every 50 ms expiry on time across 9 wraps", async () => {
    const wrapping = { ANYK_BUILD_DIR: tempBuildDir("timers-16bit"), ANYK_CFLAGS: "-DANYK_TIMEBASE_BITS=16" };
    const r = await runTimer("boot", "microbit", [[50_000, 12]], [], wrapping);
    expect(r.code, r.stderr).toBe(0);
    const [run] = r.runs;
    expect(run.times).toHaveLength(12);
    // A wrap counted twice would put every later expiry 65.5 ms late, a missed one 65.5 ms early.
    run.times.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual((i + 1) * 50_000 * 0.99);
      expect(t).toBeLessThan((i + 1) * 50_000 + 40_000);
    });
  }, 120_000);
});

describe("nRF51 RNG on microbit", () => {
  const bytes = (stdout: string) => stdout.split("\n").filter((l) => /^[0-9a-f]{32}$/.test(l)).join("");
  const distinct = (stdout: string) => Number(/distinct (\d+)/.exec(stdout)?.[1]);

  for (const platform of ["boot", "run"] as const) {
    it(`${platform}: gives the generator's bytes: the same seed the same bytes, another seed others`, async () => {
      // Built once first: the three runs then share an up-to-date image instead of building it at once.
      const built = await anyk(["build", "test/apps/rng", "--board", "microbit"], { env, timeoutMs: 90_000 });
      expect(built.code, built.stderr).toBe(0);
      const [a, b, c] = await Promise.all([7, 7, 8].map((seed) => anyk([platform, "test/apps/rng", "--board", "microbit", "--seed", String(seed), "--timeout", "60"], { env, timeoutMs: 90_000 })));
      for (const r of [a, b, c]) {
        expect(r.code, r.stderr).toBe(0);
        expect(bytes(r.stdout)).toHaveLength(128);
        // 64 bytes from 256 values: a uniform source gives about 57 distinct ones.
        expect(distinct(r.stdout)).toBeGreaterThan(40);
      }
      expect(bytes(a.stdout)).toBe(bytes(b.stdout));
      expect(bytes(c.stdout)).not.toBe(bytes(a.stdout));
    }, 120_000);
  }

  it("refuses a seed that is not a 32-bit number", async () => {
    const r = await anyk(["run", "test/apps/rng", "--board", "microbit", "--seed", "x"], { env });
    expect(r.stderr).toContain("--seed must be an integer from 0 to 4294967295, got 'x'");
    expect(r.code).toBe(2);
  });
});
