import type { ChannelModel } from 'amqplib';
import type { Writable } from 'node:stream';

/** The part of amqplib's internal Mux this touches (lib/mux.js, unchanged from 0.10 to 2.3). */
interface Mux {
  out: Writable;
  _readIncoming(): void;
}

/**
 * Makes a connection's frames queued in one event-loop turn leave in one `writev`.
 *
 * amqplib queues every frame (a publish, an ack, a reply) on its channel's buffer, and its Mux
 * drains those buffers once per turn (setImmediate) with one `socket.write` per frame: with
 * `noDelay`, a syscall and a packet each. Under load a service writes dozens per turn (its RPC
 * replies, their acks, the outbox's publishes), and on a busy machine each write can also hand
 * the core to the broker it wakes. Corking the socket around the drain sends them together; no
 * frame waits for a timer, and the order is unchanged. amqplib has no option for this, so it is
 * done here, on its internal Mux; if a later amqplib lays it out differently, this does nothing
 * and says so (returns false).
 */
export function coalesceFrameWrites(model: ChannelModel): boolean {
  const mux = (model as unknown as { connection?: { muxer?: Partial<Mux> } }).connection?.muxer;
  const out = mux?.out;
  if (!mux || typeof mux._readIncoming !== 'function' || typeof out?.cork !== 'function') return false;
  const drain = mux._readIncoming.bind(mux);
  mux._readIncoming = () => {
    out.cork();
    try {
      drain();
    } finally {
      out.uncork();
    }
  };
  return true;
}
