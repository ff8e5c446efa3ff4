// The transmit logic every interrupt-driven UART shares: straight to the device when it has room,
// else into the ring, which the service drains. A driver supplies its register steps as plain
// methods (txReady, txPut, txInterrupt) and reaches them through these generic helpers,
// instantiated per driver class, so the steps are direct calls that inline into the driver. (As
// abstract methods of a base class they were virtual calls with a class-id check each: +148 B.)
import { Uart } from "./uart";

/** Moves queued bytes into the device while it has room; the transmit interrupt only while some remain. */
export function ringFill<D extends Uart>(uart: D): void {
  while (!uart.tx.isEmpty && uart.txReady()) uart.txPut(<u8>uart.tx.pop());
  uart.txInterrupt(!uart.tx.isEmpty);
}

/** Uart.writeByte: straight to the device when nothing is queued and it has room, else into the ring. */
export function ringWrite<D extends Uart>(uart: D, b: u8): bool {
  if (uart.tx.isEmpty && uart.txReady()) {
    uart.txPut(b);
    return true;
  }
  if (uart.tx.isFull) return false;
  uart.tx.push(b);
  ringFill<D>(uart);
  return true;
}
