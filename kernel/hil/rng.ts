// The random number generator contract.
import { Device } from "./device";

export abstract class Rng extends Device {
  /** The next random byte, or -1 when the generator has none ready yet. */
  abstract readByte(): i32;
}
