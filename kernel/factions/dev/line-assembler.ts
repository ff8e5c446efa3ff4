// Bytes into lines, for both line readers (the console faction's readLine and the app API's
// uart.onLine): a line ends at '\n' or '\r', '\r\n' being one end; bytes past the buffer's capacity
// are dropped until the line ends. The state is the input stream's, one per image, in globals:
// state in linear memory would cost a bounds check per access.

let length: u32 = 0;
let lastWasCr = false;

/** Takes byte b into buffer; returns the line's length when b ends a line, else -1. */
export function takeByte(b: i32, buffer: usize, capacity: u32): i32 {
  if (b == 0x0a && lastWasCr) {
    lastWasCr = false;
    return -1;
  }
  lastWasCr = b == 0x0d;
  if (b == 0x0a || b == 0x0d) {
    const ended = length;
    length = 0;
    return <i32>ended;
  }
  if (length < capacity) {
    store<u8>(buffer + <usize>length, <u8>b);
    length++;
  }
  return -1;
}
