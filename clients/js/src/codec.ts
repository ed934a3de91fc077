// Framing (docs/protocol.md, "Transport"): a binary WebSocket message holds one or
// more frames, each prefixed by its length as a protobuf varint.
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { ClientFrame, ServerFrame } from "./gen/switchboard.js";

/** One length-delimited ClientFrame, ready to send as a binary message. */
export function encodeClientFrame(frame: ClientFrame): Uint8Array {
  return new BinaryWriter().bytes(ClientFrame.encode(frame).finish()).finish();
}

/** Every ServerFrame of one binary message, in order. Throws on a malformed message. */
export function decodeServerFrames(data: Uint8Array): ServerFrame[] {
  const reader = new BinaryReader(data);
  const frames: ServerFrame[] = [];
  while (reader.pos < reader.len) {
    const length = reader.uint32();
    if (reader.pos + length > reader.len) throw new RangeError("truncated frame");
    frames.push(ServerFrame.decode(reader, length));
  }
  return frames;
}
