// blinky-hil: blinky written against the kernel's HIL, without the app API (the API's cost is
// measured against it): toggles the board's LED every 100 ms of monotonic time, 10 times, printing each state.
import { println } from "../../../kernel/base/console";
import { now, NS_PER_MS } from "../../../kernel/base/time";
import { LED_PIN } from "../../../kernel/base/board";
import { gpio } from "../../../kernel/factions/dev/registry";
import { sleepUntil } from "../../../kernel/factions/dev/loop";

const TOGGLES: i32 = 10;
const PERIOD_NS: u64 = 100 * NS_PER_MS;

export function main(): i32 {
  const led = gpio();
  let on = false;
  const start = now();
  for (let i = 1; i <= TOGGLES; i++) {
    sleepUntil(start + <u64>i * PERIOD_NS);
    on = !on;
    led.setOutput(LED_PIN, on);
    println(on ? "led on" : "led off");
  }
  return 0;
}
