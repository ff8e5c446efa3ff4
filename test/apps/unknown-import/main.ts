// unknown-import: imports a hypercall that ABI v1 does not have, for the build's import check.
// @ts-ignore: decorator
@external("anyk", "reboot")
declare function reboot(mode: i32): void;

export function main(): i32 {
  reboot(1);
  return 0;
}
