/**
 * The match room's serializer: @colyseus/core's `SchemaSerializer` (join snapshots, handshake, the
 * patch of a state without views, and every case below it does not take) with a leaner
 * `applyPatches` for the patch the room sends most (a state with `.view()` fields, changes to send,
 * every joined client with its own StateView that has no pending `add`/`remove`). That patch is
 * byte for byte the one `SchemaSerializer.applyPatches` sends (the same `Encoder` calls: the shared
 * pass `encode(it)`, then one view pass `encode(it, view)` per StateView, then `discardChanges()`),
 * without the library's per-patch overhead around them: `encodeView` joins the shared bytes and
 * the view's with two `subarray` views and a copy, and a per-patch Map caches each view's frame.
 * Here each frame is one copy out of the encoder's buffer (the first view's bytes follow the shared
 * ones there already; a later view's are copied after the shared prefix) into memory from Node's
 * Buffer pool ({@link joinFrame}).
 *
 * Taken only when it is the same patch: no `debugPatch` dump, no TIMED prefix (`defineInput()`;
 * the room defines none), no streams, no StateView with pending changes (a client that just joined,
 * refocused or moved team: the library's `encodeView` sends those first), and a buffer that did not
 * grow (else the library's path, which the next patch takes anyway).
 *
 * May import @colyseus/core and @colyseus/schema.
 */
import { ClientState, SchemaSerializer, debugPatch, type Client } from '@colyseus/core';
import type { Encoder, Iterator, Schema, StateView } from '@colyseus/schema';

/** `Protocol.ROOM_STATE_PATCH` (@colyseus/shared-types): the first byte of a patch frame. */
const ROOM_STATE_PATCH = 15;

/** What this file reads of the encoder beyond its public methods (fields the library's own serializer reads). */
interface EncoderInternals {
  root: { streamTrees: { size: number } };
}

/** The room's {@link SchemaSerializer}; see the file comment. */
export class MatchSerializer<T extends Schema> extends SchemaSerializer<T> {
  /** Reused iterator of the patch encode (the library allocates one per patch). */
  readonly #it: Iterator = { offset: 1 };

  override applyPatches(clients: Client[], state?: unknown, timing?: Parameters<SchemaSerializer<T>['applyPatches']>[2]): boolean {
    const encoder = this.encoder as Encoder<T> & EncoderInternals;
    if (!this.hasFilters || timing !== undefined || debugPatch.enabled || clients.length === 0 || !encoder.hasChanges || encoder.root.streamTrees.size !== 0 || !this.#plain(clients)) {
      return super.applyPatches(clients, state, timing);
    }
    this.needFullEncode = true;
    const it = this.#it;
    it.offset = 1;
    const buffer = encoder.sharedBuffer;
    buffer[0] = ROOM_STATE_PATCH;
    const shared = encoder.encode(it);
    // A shared pass that grew the encoder's buffer: the rest of the patch as the library sends it.
    this.#sendViews(clients, it.offset, shared.buffer !== buffer.buffer);
    encoder.discardChanges();
    return true;
  }

  /**
   * Sends each joined client its frame: the shared bytes `[0, sharedOffset)` plus its view's pass.
   * Clients in the library's order (last joined first); a StateView shared by several clients is
   * encoded once. `grown`: the shared pass grew the buffer, so frames come from `Encoder.encodeView`
   * as the library builds them.
   */
  #sendViews(clients: Client[], sharedOffset: number, grown: boolean): void {
    const it = this.#it;
    const encoder = this.encoder;
    let lastView: StateView | undefined;
    let lastFrame: Uint8Array | undefined;
    for (let i = clients.length - 1; i >= 0; i--) {
      const client = clients[i]!;
      if (client.state !== ClientState.JOINED) continue;
      const view = client.view!;
      if (view !== lastView) {
        if (grown) lastFrame = encoder.encodeView(view, sharedOffset, it);
        else {
          const viewOffset = it.offset;
          // From the buffer's start (a view pass that grew the buffer copied the shared bytes along).
          const bytes = encoder.encode(it, view);
          lastFrame = joinFrame(bytes, sharedOffset, viewOffset, it.offset);
        }
        lastView = view;
      }
      client.raw(lastFrame!);
    }
  }

  /** Every joined client has a view without pending changes (the patch {@link applyPatches} sends itself). */
  #plain(clients: Client[]): boolean {
    for (let i = 0; i < clients.length; i++) {
      const client = clients[i]!;
      if (client.state !== ClientState.JOINED) continue;
      const view = client.view;
      if (view === undefined || view.changes.size !== 0) return false;
    }
    return true;
  }
}

/** Frames up to this many bytes are copied byte by byte (a `subarray` view costs more than the loop). */
const COPY_LOOP_BYTES = 64;

/**
 * A fresh frame of `bytes[0, sharedOffset)` followed by `bytes[viewOffset, end)` (what
 * `Encoder.encodeView` returns). `Buffer.allocUnsafe` takes a frame under 4 KB from Node's shared
 * pool: a `new Uint8Array` over 64 bytes allocates its own backing store outside the heap (~2 us
 * here, and external memory for the GC to track), and the default match's patches are 24-176 B.
 * Every byte is written below, so none of the pool's old contents is sent.
 */
function joinFrame(bytes: Uint8Array, sharedOffset: number, viewOffset: number, end: number): Uint8Array {
  const viewBytes = end - viewOffset;
  const frame = Buffer.allocUnsafe(sharedOffset + viewBytes);
  if (sharedOffset + viewBytes <= COPY_LOOP_BYTES) {
    for (let i = 0; i < sharedOffset; i++) frame[i] = bytes[i]!;
    for (let i = 0; i < viewBytes; i++) frame[sharedOffset + i] = bytes[viewOffset + i]!;
  } else if (viewOffset === sharedOffset) {
    frame.set(bytes.subarray(0, end));
  } else {
    frame.set(bytes.subarray(0, sharedOffset));
    frame.set(bytes.subarray(viewOffset, end), sharedOffset);
  }
  return frame;
}
