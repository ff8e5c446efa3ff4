// The layout of the shared ring between the stdin reader thread and the platform.
export const RING = {
  /** Int32 words before the data: write index, read index, eof flag, wake-up counter. */
  headerWords: 4,
  writeIndex: 0,
  readIndex: 1,
  eof: 2,
  signal: 3,
  dataBytes: 64 * 1024,
} as const;
