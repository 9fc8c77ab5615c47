/**
 * High-water marks for event sockets. The default (1000) was measured to drop 1.3% of a
 * 200k-message burst here; 100k holds a whole busy run's progress events with room to spare.
 */
export const EVENT_HWM = 100_000;

/** Frames above this never reach the decoder: libzmq drops the connection instead. */
export const HARD_FRAME_LIMIT = 16 * 1024 * 1024;
