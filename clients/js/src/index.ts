// switchboard-client: the Switchboard SDK for browsers and Node 18+.
export { SwitchboardClient, SDK_VERSION } from "./client.js";
export { ChannelView } from "./channel.js";
export type { ClientOptions, HistoryOptions, HistoryPage } from "./options.js";
export type { WebSocketLike, WebSocketConstructor, CommandName, CommandOf, ReplyOf } from "./connection.js";
export { fixedEndpoint, balancerEndpoint } from "./endpoint.js";
export type { Endpoint } from "./endpoint.js";
export { SwitchboardError, ErrorCodes, DisconnectCodes, mayReconnect } from "./errors.js";
export { payloadText, chatMessage } from "./types.js";
export type * from "./types.js";
export { RestClient, RestError } from "./rest.js";
export type { RestOptions, Channel, ChannelDetails, ChannelSummary, Member, Membership, Message, MessagePage, User, Media } from "./rest.js";
export { newClientMsgId } from "./ids.js";
export { ChatChannelState, chatPayloads } from "./chat.js";
export { ChatActions } from "./actions.js";
export type { ChatMessageState, ChatEvent, Reaction, ThreadSummary } from "./chat.js";
