// The UART contract: a byte stream with receive and transmit rings, filled and drained by
// interrupts. Apps use this class, never a chip driver.
import { Device } from "./device";

export abstract class Uart extends Device {
  /** Queues one byte for sending; false when the transmit ring is full. */
  abstract writeByte(b: u8): bool;
  /** The oldest received byte, or -1 when none is waiting. */
  abstract readByte(): i32;
  /** Bytes queued for sending that the device has not yet taken. */
  abstract txPending(): u32;
  /** Received bytes dropped because the receive ring was full. */
  abstract rxOverruns(): u32;
}
