// The UART contract: a byte stream with receive and transmit rings, filled and drained by
// interrupts. Apps use this class, never a chip driver. Every driver shares the rings and the ring
// logic (ring-uart.ts); only its register steps and its service are its own.
import { Device } from "./device";
import { ByteRing } from "../base/ring";

export abstract class Uart extends Device {
  /** Received bytes, filled by the driver's service. */
  readonly rx: ByteRing = new ByteRing(64);
  /** Bytes queued for sending, drained by the driver's service. */
  readonly tx: ByteRing = new ByteRing(64);

  /** Queues one byte for sending; false when the transmit ring is full. */
  abstract writeByte(b: u8): bool;

  /** The oldest received byte, or -1 when none is waiting. */
  readByte(): i32 {
    return this.rx.pop();
  }

  /** Bytes queued for sending that the device has not yet taken. */
  txPending(): u32 {
    return this.tx.length;
  }

  /** Received bytes dropped because the receive ring was full. */
  rxOverruns(): u32 {
    return this.rx.dropped;
  }
}
