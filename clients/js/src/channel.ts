// A view of one channel: its events and the commands that name it.
import type { SwitchboardClient } from "./client.js";
import type { HistoryOptions } from "./options.js";
import { Emitter } from "./emitter.js";
import type { ChannelEvents, Publication, PublishResult } from "./types.js";

/** One channel: its events and the commands that name it. */
export class ChannelView {
  /** @internal */
  readonly emitter: Emitter<ChannelEvents>;

  constructor(
    private readonly client: SwitchboardClient,
    readonly name: string,
    onListenerError?: (err: unknown) => void,
  ) {
    this.emitter = new Emitter(onListenerError);
  }

  on<K extends keyof ChannelEvents>(event: K, listener: (e: ChannelEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  off<K extends keyof ChannelEvents>(event: K, listener: (e: ChannelEvents[K]) => void): void {
    this.emitter.off(event, listener);
  }

  subscribe(): Promise<void> {
    return this.client.subscribe(this.name);
  }

  unsubscribe(): Promise<void> {
    return this.client.unsubscribe(this.name);
  }

  publish(payload: Uint8Array | string, opts?: { clientMsgId?: string }): Promise<PublishResult> {
    return this.client.publish(this.name, payload, opts);
  }

  sendMessage(text: string, opts?: { clientMsgId?: string; attachments?: unknown[] }): Promise<PublishResult> {
    return this.client.sendMessage(this.name, text, opts);
  }

  history(opts?: HistoryOptions): AsyncGenerator<Publication, void, undefined> {
    return this.client.history(this.name, opts);
  }

  presence(): Promise<string[]> {
    return this.client.presence(this.name);
  }

  typing(): void {
    this.client.typing(this.name);
  }

  markRead(seq: number): Promise<number> {
    return this.client.markRead(this.name, seq);
  }

  /** The last sequence delivered on this channel, or undefined. */
  get position(): number | undefined {
    return this.client.positions()[this.name];
  }
}
