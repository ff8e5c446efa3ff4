// broken: does not compile (an undefined name), for the test of the build's error message.
export function main(): i32 {
  return notDefinedAnywhere;
}
