// Ending the kernel on an unrecoverable error: the platform prints the panic report (message,
// function) and exits with a non-zero code.
import { abort } from "../../abi/gen/kernel";
import { flush } from "./console";

/** Stops the kernel with a panic report that shows message. Never returns. */
export function panic(message: string): void {
  flush();
  abort(changetype<usize>(message), 0, 0, 0);
}
