// Generated from wire-protocol/src/main/proto/switchboard.proto by protobufjs-cli 2.7.1
// (for protobufjs 8.8.1's minimal runtime, vendor/protobuf.min.js); do not edit by hand.
// Regenerate after changing the .proto:
//   npm install --prefix /tmp/pbjs protobufjs-cli protobufjs
//   /tmp/pbjs/node_modules/.bin/pbjs -t static-module -w closure --no-verify --no-convert \
//       --no-typeurl --no-comments -o switchboard/src/main/resources/web/vendor/switchboard-proto.js \
//       wire-protocol/src/main/proto/switchboard.proto
// then put this header back. The "closure" wrapper adds the types to protobuf.roots.default,
// where `protobuf` is the global that vendor/protobuf.min.js defines.
/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
(function($protobuf) {
    "use strict";

    var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
    var $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;
    
    var $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});
    
    $root.switchboard = (function() {
    
        var switchboard = {};
    
        switchboard.v1 = (function() {
    
            var v1 = {};
    
            v1.ClientFrame = (function() {
    
                var ClientFrame = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ClientFrame.prototype.id = 0;
                ClientFrame.prototype.connect = null;
                ClientFrame.prototype.subscribe = null;
                ClientFrame.prototype.unsubscribe = null;
                ClientFrame.prototype.publish = null;
                ClientFrame.prototype.ping = null;
                ClientFrame.prototype.history = null;
                ClientFrame.prototype.presence = null;
                ClientFrame.prototype.read = null;
                ClientFrame.prototype.typing = null;
                ClientFrame.prototype.refresh = null;
    
                var $oneOfFields;
    
                $Object.defineProperty(ClientFrame.prototype, "command", {
                    get: $util.oneOfGetter($oneOfFields = ["connect", "subscribe", "unsubscribe", "publish", "ping", "history", "presence", "read", "typing", "refresh"]),
                    set: $util.oneOfSetter($oneOfFields)
                });
    
                ClientFrame.create = function(properties) {
                    return new ClientFrame(properties);
                };
    
                ClientFrame.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== 0)
                        writer.uint32(8).uint32(message.id);
                    if (message.connect != null && $Object.hasOwnProperty.call(message, "connect"))
                        $root.switchboard.v1.Connect.encode(message.connect, writer.uint32(18).fork(), _depth + 1).ldelim();
                    if (message.subscribe != null && $Object.hasOwnProperty.call(message, "subscribe"))
                        $root.switchboard.v1.Subscribe.encode(message.subscribe, writer.uint32(26).fork(), _depth + 1).ldelim();
                    if (message.unsubscribe != null && $Object.hasOwnProperty.call(message, "unsubscribe"))
                        $root.switchboard.v1.Unsubscribe.encode(message.unsubscribe, writer.uint32(34).fork(), _depth + 1).ldelim();
                    if (message.publish != null && $Object.hasOwnProperty.call(message, "publish"))
                        $root.switchboard.v1.Publish.encode(message.publish, writer.uint32(42).fork(), _depth + 1).ldelim();
                    if (message.ping != null && $Object.hasOwnProperty.call(message, "ping"))
                        $root.switchboard.v1.Ping.encode(message.ping, writer.uint32(50).fork(), _depth + 1).ldelim();
                    if (message.history != null && $Object.hasOwnProperty.call(message, "history"))
                        $root.switchboard.v1.History.encode(message.history, writer.uint32(58).fork(), _depth + 1).ldelim();
                    if (message.presence != null && $Object.hasOwnProperty.call(message, "presence"))
                        $root.switchboard.v1.PresenceQuery.encode(message.presence, writer.uint32(66).fork(), _depth + 1).ldelim();
                    if (message.read != null && $Object.hasOwnProperty.call(message, "read"))
                        $root.switchboard.v1.ReadCheckpoint.encode(message.read, writer.uint32(74).fork(), _depth + 1).ldelim();
                    if (message.typing != null && $Object.hasOwnProperty.call(message, "typing"))
                        $root.switchboard.v1.Typing.encode(message.typing, writer.uint32(82).fork(), _depth + 1).ldelim();
                    if (message.refresh != null && $Object.hasOwnProperty.call(message, "refresh"))
                        $root.switchboard.v1.Refresh.encode(message.refresh, writer.uint32(90).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ClientFrame.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ClientFrame.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ClientFrame();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.id = value;
                                else
                                    delete message.id;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.connect = $root.switchboard.v1.Connect.decode(reader, reader.size(), $undefined, _depth + 1, message.connect);
                                message.command = "connect";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.subscribe = $root.switchboard.v1.Subscribe.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribe);
                                message.command = "subscribe";
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.unsubscribe = $root.switchboard.v1.Unsubscribe.decode(reader, reader.size(), $undefined, _depth + 1, message.unsubscribe);
                                message.command = "unsubscribe";
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                message.publish = $root.switchboard.v1.Publish.decode(reader, reader.size(), $undefined, _depth + 1, message.publish);
                                message.command = "publish";
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                message.ping = $root.switchboard.v1.Ping.decode(reader, reader.size(), $undefined, _depth + 1, message.ping);
                                message.command = "ping";
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                message.history = $root.switchboard.v1.History.decode(reader, reader.size(), $undefined, _depth + 1, message.history);
                                message.command = "history";
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                message.presence = $root.switchboard.v1.PresenceQuery.decode(reader, reader.size(), $undefined, _depth + 1, message.presence);
                                message.command = "presence";
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                message.read = $root.switchboard.v1.ReadCheckpoint.decode(reader, reader.size(), $undefined, _depth + 1, message.read);
                                message.command = "read";
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.typing = $root.switchboard.v1.Typing.decode(reader, reader.size(), $undefined, _depth + 1, message.typing);
                                message.command = "typing";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.refresh = $root.switchboard.v1.Refresh.decode(reader, reader.size(), $undefined, _depth + 1, message.refresh);
                                message.command = "refresh";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ClientFrame.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ClientFrame;
            })();
    
            v1.Connect = (function() {
    
                var Connect = function (properties) {
                    this.positions = [];
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Connect.prototype.clientName = "";
                Connect.prototype.clientVersion = "";
                Connect.prototype.positions = $util.emptyArray;
    
                Connect.create = function(properties) {
                    return new Connect(properties);
                };
    
                Connect.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.clientName != null && $Object.hasOwnProperty.call(message, "clientName") && message.clientName !== "")
                        writer.uint32(10).string(message.clientName);
                    if (message.clientVersion != null && $Object.hasOwnProperty.call(message, "clientVersion") && message.clientVersion !== "")
                        writer.uint32(18).string(message.clientVersion);
                    if (message.positions != null && message.positions.length)
                        for (var i = 0; i < message.positions.length; ++i)
                            $root.switchboard.v1.StreamPosition.encode(message.positions[i], writer.uint32(26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Connect.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Connect.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Connect();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.clientName = value;
                                else
                                    delete message.clientName;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.clientVersion = value;
                                else
                                    delete message.clientVersion;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.positions && message.positions.length))
                                    message.positions = [];
                                message.positions.push($root.switchboard.v1.StreamPosition.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Connect.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Connect;
            })();
    
            v1.StreamPosition = (function() {
    
                var StreamPosition = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                StreamPosition.prototype.channel = "";
                StreamPosition.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                StreamPosition.create = function(properties) {
                    return new StreamPosition(properties);
                };
    
                StreamPosition.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(16).uint64(message.seq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                StreamPosition.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                StreamPosition.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.StreamPosition();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                StreamPosition.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return StreamPosition;
            })();
    
            v1.Subscribe = (function() {
    
                var Subscribe = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Subscribe.prototype.channel = "";
                Subscribe.prototype.recover = false;
                Subscribe.prototype.sinceSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                Subscribe.create = function(properties) {
                    return new Subscribe(properties);
                };
    
                Subscribe.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.recover != null && $Object.hasOwnProperty.call(message, "recover") && message.recover !== false)
                        writer.uint32(16).bool(message.recover);
                    if (message.sinceSeq != null && $Object.hasOwnProperty.call(message, "sinceSeq") && (typeof message.sinceSeq === "object" ? message.sinceSeq.low || message.sinceSeq.high : message.sinceSeq !== 0))
                        writer.uint32(24).uint64(message.sinceSeq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Subscribe.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Subscribe.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Subscribe();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.recover = value;
                                else
                                    delete message.recover;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.sinceSeq = value;
                                else
                                    delete message.sinceSeq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Subscribe.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Subscribe;
            })();
    
            v1.Unsubscribe = (function() {
    
                var Unsubscribe = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Unsubscribe.prototype.channel = "";
    
                Unsubscribe.create = function(properties) {
                    return new Unsubscribe(properties);
                };
    
                Unsubscribe.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Unsubscribe.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Unsubscribe.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Unsubscribe();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Unsubscribe.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Unsubscribe;
            })();
    
            v1.Publish = (function() {
    
                var Publish = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Publish.prototype.channel = "";
                Publish.prototype.payload = $util.newBuffer([]);
                Publish.prototype.clientMsgId = "";
    
                Publish.create = function(properties) {
                    return new Publish(properties);
                };
    
                Publish.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                        writer.uint32(18).bytes(message.payload);
                    if (message.clientMsgId != null && $Object.hasOwnProperty.call(message, "clientMsgId") && message.clientMsgId !== "")
                        writer.uint32(26).string(message.clientMsgId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Publish.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Publish.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Publish();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.payload = value;
                                else
                                    delete message.payload;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.clientMsgId = value;
                                else
                                    delete message.clientMsgId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Publish.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Publish;
            })();
    
            v1.Ping = (function() {
    
                var Ping = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Ping.prototype.nonce = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                Ping.create = function(properties) {
                    return new Ping(properties);
                };
    
                Ping.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && (typeof message.nonce === "object" ? message.nonce.low || message.nonce.high : message.nonce !== 0))
                        writer.uint32(8).uint64(message.nonce);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Ping.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Ping.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Ping();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.nonce = value;
                                else
                                    delete message.nonce;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Ping.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Ping;
            })();
    
            v1.History = (function() {
    
                var History = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                History.prototype.channel = "";
                History.prototype.limit = 0;
                History.prototype.beforeSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                History.prototype.afterSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                History.prototype.forward = false;
    
                History.create = function(properties) {
                    return new History(properties);
                };
    
                History.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.limit != null && $Object.hasOwnProperty.call(message, "limit") && message.limit !== 0)
                        writer.uint32(16).uint32(message.limit);
                    if (message.beforeSeq != null && $Object.hasOwnProperty.call(message, "beforeSeq") && (typeof message.beforeSeq === "object" ? message.beforeSeq.low || message.beforeSeq.high : message.beforeSeq !== 0))
                        writer.uint32(24).uint64(message.beforeSeq);
                    if (message.afterSeq != null && $Object.hasOwnProperty.call(message, "afterSeq") && (typeof message.afterSeq === "object" ? message.afterSeq.low || message.afterSeq.high : message.afterSeq !== 0))
                        writer.uint32(32).uint64(message.afterSeq);
                    if (message.forward != null && $Object.hasOwnProperty.call(message, "forward") && message.forward !== false)
                        writer.uint32(40).bool(message.forward);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                History.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                History.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.History();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.limit = value;
                                else
                                    delete message.limit;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.beforeSeq = value;
                                else
                                    delete message.beforeSeq;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.afterSeq = value;
                                else
                                    delete message.afterSeq;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.forward = value;
                                else
                                    delete message.forward;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                History.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return History;
            })();
    
            v1.PresenceQuery = (function() {
    
                var PresenceQuery = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                PresenceQuery.prototype.channel = "";
    
                PresenceQuery.create = function(properties) {
                    return new PresenceQuery(properties);
                };
    
                PresenceQuery.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                PresenceQuery.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                PresenceQuery.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.PresenceQuery();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                PresenceQuery.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return PresenceQuery;
            })();
    
            v1.ReadCheckpoint = (function() {
    
                var ReadCheckpoint = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ReadCheckpoint.prototype.channel = "";
                ReadCheckpoint.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                ReadCheckpoint.create = function(properties) {
                    return new ReadCheckpoint(properties);
                };
    
                ReadCheckpoint.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(16).uint64(message.seq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ReadCheckpoint.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ReadCheckpoint.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ReadCheckpoint();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ReadCheckpoint.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ReadCheckpoint;
            })();
    
            v1.Typing = (function() {
    
                var Typing = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Typing.prototype.channel = "";
    
                Typing.create = function(properties) {
                    return new Typing(properties);
                };
    
                Typing.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Typing.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Typing.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Typing();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Typing.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Typing;
            })();
    
            v1.Refresh = (function() {
    
                var Refresh = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Refresh.prototype.token = "";
    
                Refresh.create = function(properties) {
                    return new Refresh(properties);
                };
    
                Refresh.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.token != null && $Object.hasOwnProperty.call(message, "token") && message.token !== "")
                        writer.uint32(10).string(message.token);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Refresh.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Refresh.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Refresh();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.token = value;
                                else
                                    delete message.token;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Refresh.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Refresh;
            })();
    
            v1.ServerFrame = (function() {
    
                var ServerFrame = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ServerFrame.prototype.id = 0;
                ServerFrame.prototype.error = null;
                ServerFrame.prototype.connect = null;
                ServerFrame.prototype.subscribe = null;
                ServerFrame.prototype.unsubscribe = null;
                ServerFrame.prototype.publish = null;
                ServerFrame.prototype.pong = null;
                ServerFrame.prototype.history = null;
                ServerFrame.prototype.presence = null;
                ServerFrame.prototype.read = null;
                ServerFrame.prototype.refresh = null;
                ServerFrame.prototype.typing = null;
                ServerFrame.prototype.publication = null;
                ServerFrame.prototype.disconnect = null;
                ServerFrame.prototype.presenceChange = null;
                ServerFrame.prototype.readReceipt = null;
                ServerFrame.prototype.typingEvent = null;
                ServerFrame.prototype.mayHaveMissed = null;
                ServerFrame.prototype.subscribed = null;
                ServerFrame.prototype.unsubscribed = null;
                ServerFrame.prototype.presenceChanges = null;
    
                var $oneOfFields;
    
                $Object.defineProperty(ServerFrame.prototype, "body", {
                    get: $util.oneOfGetter($oneOfFields = ["error", "connect", "subscribe", "unsubscribe", "publish", "pong", "history", "presence", "read", "refresh", "typing", "publication", "disconnect", "presenceChange", "readReceipt", "typingEvent", "mayHaveMissed", "subscribed", "unsubscribed", "presenceChanges"]),
                    set: $util.oneOfSetter($oneOfFields)
                });
    
                ServerFrame.create = function(properties) {
                    return new ServerFrame(properties);
                };
    
                ServerFrame.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== 0)
                        writer.uint32(8).uint32(message.id);
                    if (message.error != null && $Object.hasOwnProperty.call(message, "error"))
                        $root.switchboard.v1.Error.encode(message.error, writer.uint32(18).fork(), _depth + 1).ldelim();
                    if (message.connect != null && $Object.hasOwnProperty.call(message, "connect"))
                        $root.switchboard.v1.ConnectResult.encode(message.connect, writer.uint32(26).fork(), _depth + 1).ldelim();
                    if (message.subscribe != null && $Object.hasOwnProperty.call(message, "subscribe"))
                        $root.switchboard.v1.SubscribeResult.encode(message.subscribe, writer.uint32(34).fork(), _depth + 1).ldelim();
                    if (message.unsubscribe != null && $Object.hasOwnProperty.call(message, "unsubscribe"))
                        $root.switchboard.v1.UnsubscribeResult.encode(message.unsubscribe, writer.uint32(42).fork(), _depth + 1).ldelim();
                    if (message.publish != null && $Object.hasOwnProperty.call(message, "publish"))
                        $root.switchboard.v1.PublishResult.encode(message.publish, writer.uint32(50).fork(), _depth + 1).ldelim();
                    if (message.pong != null && $Object.hasOwnProperty.call(message, "pong"))
                        $root.switchboard.v1.Pong.encode(message.pong, writer.uint32(58).fork(), _depth + 1).ldelim();
                    if (message.history != null && $Object.hasOwnProperty.call(message, "history"))
                        $root.switchboard.v1.HistoryResult.encode(message.history, writer.uint32(66).fork(), _depth + 1).ldelim();
                    if (message.presence != null && $Object.hasOwnProperty.call(message, "presence"))
                        $root.switchboard.v1.PresenceResult.encode(message.presence, writer.uint32(74).fork(), _depth + 1).ldelim();
                    if (message.read != null && $Object.hasOwnProperty.call(message, "read"))
                        $root.switchboard.v1.ReadResult.encode(message.read, writer.uint32(82).fork(), _depth + 1).ldelim();
                    if (message.refresh != null && $Object.hasOwnProperty.call(message, "refresh"))
                        $root.switchboard.v1.RefreshResult.encode(message.refresh, writer.uint32(90).fork(), _depth + 1).ldelim();
                    if (message.typing != null && $Object.hasOwnProperty.call(message, "typing"))
                        $root.switchboard.v1.TypingResult.encode(message.typing, writer.uint32(98).fork(), _depth + 1).ldelim();
                    if (message.publication != null && $Object.hasOwnProperty.call(message, "publication"))
                        $root.switchboard.v1.Publication.encode(message.publication, writer.uint32(162).fork(), _depth + 1).ldelim();
                    if (message.disconnect != null && $Object.hasOwnProperty.call(message, "disconnect"))
                        $root.switchboard.v1.Disconnect.encode(message.disconnect, writer.uint32(170).fork(), _depth + 1).ldelim();
                    if (message.presenceChange != null && $Object.hasOwnProperty.call(message, "presenceChange"))
                        $root.switchboard.v1.PresenceChange.encode(message.presenceChange, writer.uint32(178).fork(), _depth + 1).ldelim();
                    if (message.readReceipt != null && $Object.hasOwnProperty.call(message, "readReceipt"))
                        $root.switchboard.v1.ReadReceipt.encode(message.readReceipt, writer.uint32(186).fork(), _depth + 1).ldelim();
                    if (message.typingEvent != null && $Object.hasOwnProperty.call(message, "typingEvent"))
                        $root.switchboard.v1.TypingEvent.encode(message.typingEvent, writer.uint32(194).fork(), _depth + 1).ldelim();
                    if (message.mayHaveMissed != null && $Object.hasOwnProperty.call(message, "mayHaveMissed"))
                        $root.switchboard.v1.MayHaveMissed.encode(message.mayHaveMissed, writer.uint32(202).fork(), _depth + 1).ldelim();
                    if (message.subscribed != null && $Object.hasOwnProperty.call(message, "subscribed"))
                        $root.switchboard.v1.Subscribed.encode(message.subscribed, writer.uint32(210).fork(), _depth + 1).ldelim();
                    if (message.unsubscribed != null && $Object.hasOwnProperty.call(message, "unsubscribed"))
                        $root.switchboard.v1.Unsubscribed.encode(message.unsubscribed, writer.uint32(218).fork(), _depth + 1).ldelim();
                    if (message.presenceChanges != null && $Object.hasOwnProperty.call(message, "presenceChanges"))
                        $root.switchboard.v1.PresenceChanges.encode(message.presenceChanges, writer.uint32(226).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ServerFrame.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ServerFrame.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ServerFrame();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.id = value;
                                else
                                    delete message.id;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.error = $root.switchboard.v1.Error.decode(reader, reader.size(), $undefined, _depth + 1, message.error);
                                message.body = "error";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.connect = $root.switchboard.v1.ConnectResult.decode(reader, reader.size(), $undefined, _depth + 1, message.connect);
                                message.body = "connect";
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.subscribe = $root.switchboard.v1.SubscribeResult.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribe);
                                message.body = "subscribe";
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                message.unsubscribe = $root.switchboard.v1.UnsubscribeResult.decode(reader, reader.size(), $undefined, _depth + 1, message.unsubscribe);
                                message.body = "unsubscribe";
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                message.publish = $root.switchboard.v1.PublishResult.decode(reader, reader.size(), $undefined, _depth + 1, message.publish);
                                message.body = "publish";
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                message.pong = $root.switchboard.v1.Pong.decode(reader, reader.size(), $undefined, _depth + 1, message.pong);
                                message.body = "pong";
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                message.history = $root.switchboard.v1.HistoryResult.decode(reader, reader.size(), $undefined, _depth + 1, message.history);
                                message.body = "history";
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                message.presence = $root.switchboard.v1.PresenceResult.decode(reader, reader.size(), $undefined, _depth + 1, message.presence);
                                message.body = "presence";
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.read = $root.switchboard.v1.ReadResult.decode(reader, reader.size(), $undefined, _depth + 1, message.read);
                                message.body = "read";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.refresh = $root.switchboard.v1.RefreshResult.decode(reader, reader.size(), $undefined, _depth + 1, message.refresh);
                                message.body = "refresh";
                                continue;
                            }
                        case 12: {
                                if (wireType !== 2)
                                    break;
                                message.typing = $root.switchboard.v1.TypingResult.decode(reader, reader.size(), $undefined, _depth + 1, message.typing);
                                message.body = "typing";
                                continue;
                            }
                        case 20: {
                                if (wireType !== 2)
                                    break;
                                message.publication = $root.switchboard.v1.Publication.decode(reader, reader.size(), $undefined, _depth + 1, message.publication);
                                message.body = "publication";
                                continue;
                            }
                        case 21: {
                                if (wireType !== 2)
                                    break;
                                message.disconnect = $root.switchboard.v1.Disconnect.decode(reader, reader.size(), $undefined, _depth + 1, message.disconnect);
                                message.body = "disconnect";
                                continue;
                            }
                        case 22: {
                                if (wireType !== 2)
                                    break;
                                message.presenceChange = $root.switchboard.v1.PresenceChange.decode(reader, reader.size(), $undefined, _depth + 1, message.presenceChange);
                                message.body = "presenceChange";
                                continue;
                            }
                        case 23: {
                                if (wireType !== 2)
                                    break;
                                message.readReceipt = $root.switchboard.v1.ReadReceipt.decode(reader, reader.size(), $undefined, _depth + 1, message.readReceipt);
                                message.body = "readReceipt";
                                continue;
                            }
                        case 24: {
                                if (wireType !== 2)
                                    break;
                                message.typingEvent = $root.switchboard.v1.TypingEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.typingEvent);
                                message.body = "typingEvent";
                                continue;
                            }
                        case 25: {
                                if (wireType !== 2)
                                    break;
                                message.mayHaveMissed = $root.switchboard.v1.MayHaveMissed.decode(reader, reader.size(), $undefined, _depth + 1, message.mayHaveMissed);
                                message.body = "mayHaveMissed";
                                continue;
                            }
                        case 26: {
                                if (wireType !== 2)
                                    break;
                                message.subscribed = $root.switchboard.v1.Subscribed.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribed);
                                message.body = "subscribed";
                                continue;
                            }
                        case 27: {
                                if (wireType !== 2)
                                    break;
                                message.unsubscribed = $root.switchboard.v1.Unsubscribed.decode(reader, reader.size(), $undefined, _depth + 1, message.unsubscribed);
                                message.body = "unsubscribed";
                                continue;
                            }
                        case 28: {
                                if (wireType !== 2)
                                    break;
                                message.presenceChanges = $root.switchboard.v1.PresenceChanges.decode(reader, reader.size(), $undefined, _depth + 1, message.presenceChanges);
                                message.body = "presenceChanges";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ServerFrame.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ServerFrame;
            })();
    
            v1.Error = (function() {
    
                var Error = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Error.prototype.code = 0;
                Error.prototype.message = "";
                Error.prototype.temporary = false;
    
                Error.create = function(properties) {
                    return new Error(properties);
                };
    
                Error.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(8).uint32(message.code);
                    if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                        writer.uint32(18).string(message.message);
                    if (message.temporary != null && $Object.hasOwnProperty.call(message, "temporary") && message.temporary !== false)
                        writer.uint32(24).bool(message.temporary);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Error.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Error.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Error();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.message = value;
                                else
                                    delete message.message;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.temporary = value;
                                else
                                    delete message.temporary;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Error.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Error;
            })();
    
            v1.ConnectResult = (function() {
    
                var ConnectResult = function (properties) {
                    this.channels = [];
                    this.recovered = [];
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ConnectResult.prototype.sessionId = "";
                ConnectResult.prototype.nodeId = "";
                ConnectResult.prototype.userId = "";
                ConnectResult.prototype.orgId = "";
                ConnectResult.prototype.heartbeatIntervalMs = 0;
                ConnectResult.prototype.idleTimeoutMs = 0;
                ConnectResult.prototype.tokenExpiresAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                ConnectResult.prototype.channels = $util.emptyArray;
                ConnectResult.prototype.recovered = $util.emptyArray;
    
                ConnectResult.create = function(properties) {
                    return new ConnectResult(properties);
                };
    
                ConnectResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                        writer.uint32(10).string(message.sessionId);
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId") && message.nodeId !== "")
                        writer.uint32(18).string(message.nodeId);
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId") && message.userId !== "")
                        writer.uint32(26).string(message.userId);
                    if (message.orgId != null && $Object.hasOwnProperty.call(message, "orgId") && message.orgId !== "")
                        writer.uint32(34).string(message.orgId);
                    if (message.heartbeatIntervalMs != null && $Object.hasOwnProperty.call(message, "heartbeatIntervalMs") && message.heartbeatIntervalMs !== 0)
                        writer.uint32(40).uint32(message.heartbeatIntervalMs);
                    if (message.idleTimeoutMs != null && $Object.hasOwnProperty.call(message, "idleTimeoutMs") && message.idleTimeoutMs !== 0)
                        writer.uint32(48).uint32(message.idleTimeoutMs);
                    if (message.tokenExpiresAtMs != null && $Object.hasOwnProperty.call(message, "tokenExpiresAtMs") && (typeof message.tokenExpiresAtMs === "object" ? message.tokenExpiresAtMs.low || message.tokenExpiresAtMs.high : message.tokenExpiresAtMs !== 0))
                        writer.uint32(56).uint64(message.tokenExpiresAtMs);
                    if (message.channels != null && message.channels.length)
                        for (var i = 0; i < message.channels.length; ++i)
                            writer.uint32(66).string(message.channels[i]);
                    if (message.recovered != null && message.recovered.length)
                        for (var i = 0; i < message.recovered.length; ++i)
                            $root.switchboard.v1.RecoveryResult.encode(message.recovered[i], writer.uint32(74).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ConnectResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ConnectResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ConnectResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.sessionId = value;
                                else
                                    delete message.sessionId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.nodeId = value;
                                else
                                    delete message.nodeId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.userId = value;
                                else
                                    delete message.userId;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.orgId = value;
                                else
                                    delete message.orgId;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.heartbeatIntervalMs = value;
                                else
                                    delete message.heartbeatIntervalMs;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.idleTimeoutMs = value;
                                else
                                    delete message.idleTimeoutMs;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.tokenExpiresAtMs = value;
                                else
                                    delete message.tokenExpiresAtMs;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.channels && message.channels.length))
                                    message.channels = [];
                                message.channels.push(reader.stringVerify());
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.recovered && message.recovered.length))
                                    message.recovered = [];
                                message.recovered.push($root.switchboard.v1.RecoveryResult.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ConnectResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ConnectResult;
            })();
    
            v1.RecoveryResult = (function() {
    
                var RecoveryResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                RecoveryResult.prototype.channel = "";
                RecoveryResult.prototype.recovered = false;
                RecoveryResult.prototype.lastSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                RecoveryResult.create = function(properties) {
                    return new RecoveryResult(properties);
                };
    
                RecoveryResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.recovered != null && $Object.hasOwnProperty.call(message, "recovered") && message.recovered !== false)
                        writer.uint32(16).bool(message.recovered);
                    if (message.lastSeq != null && $Object.hasOwnProperty.call(message, "lastSeq") && (typeof message.lastSeq === "object" ? message.lastSeq.low || message.lastSeq.high : message.lastSeq !== 0))
                        writer.uint32(24).uint64(message.lastSeq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                RecoveryResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                RecoveryResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.RecoveryResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.recovered = value;
                                else
                                    delete message.recovered;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.lastSeq = value;
                                else
                                    delete message.lastSeq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                RecoveryResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return RecoveryResult;
            })();
    
            v1.SubscribeResult = (function() {
    
                var SubscribeResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                SubscribeResult.prototype.recovered = false;
                SubscribeResult.prototype.lastSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                SubscribeResult.create = function(properties) {
                    return new SubscribeResult(properties);
                };
    
                SubscribeResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.recovered != null && $Object.hasOwnProperty.call(message, "recovered") && message.recovered !== false)
                        writer.uint32(8).bool(message.recovered);
                    if (message.lastSeq != null && $Object.hasOwnProperty.call(message, "lastSeq") && (typeof message.lastSeq === "object" ? message.lastSeq.low || message.lastSeq.high : message.lastSeq !== 0))
                        writer.uint32(16).uint64(message.lastSeq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                SubscribeResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                SubscribeResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.SubscribeResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.recovered = value;
                                else
                                    delete message.recovered;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.lastSeq = value;
                                else
                                    delete message.lastSeq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                SubscribeResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return SubscribeResult;
            })();
    
            v1.UnsubscribeResult = (function() {
    
                var UnsubscribeResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                UnsubscribeResult.create = function(properties) {
                    return new UnsubscribeResult(properties);
                };
    
                UnsubscribeResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                UnsubscribeResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                UnsubscribeResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.UnsubscribeResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        reader.skipType(tag & 7, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                UnsubscribeResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return UnsubscribeResult;
            })();
    
            v1.PublishResult = (function() {
    
                var PublishResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                PublishResult.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                PublishResult.prototype.messageId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                PublishResult.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                PublishResult.create = function(properties) {
                    return new PublishResult(properties);
                };
    
                PublishResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(8).uint64(message.seq);
                    if (message.messageId != null && $Object.hasOwnProperty.call(message, "messageId") && (typeof message.messageId === "object" ? message.messageId.low || message.messageId.high : message.messageId !== 0))
                        writer.uint32(16).uint64(message.messageId);
                    if (message.timestampMs != null && $Object.hasOwnProperty.call(message, "timestampMs") && (typeof message.timestampMs === "object" ? message.timestampMs.low || message.timestampMs.high : message.timestampMs !== 0))
                        writer.uint32(24).uint64(message.timestampMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                PublishResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                PublishResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.PublishResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.messageId = value;
                                else
                                    delete message.messageId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.timestampMs = value;
                                else
                                    delete message.timestampMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                PublishResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return PublishResult;
            })();
    
            v1.Pong = (function() {
    
                var Pong = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Pong.prototype.nonce = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                Pong.create = function(properties) {
                    return new Pong(properties);
                };
    
                Pong.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && (typeof message.nonce === "object" ? message.nonce.low || message.nonce.high : message.nonce !== 0))
                        writer.uint32(8).uint64(message.nonce);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Pong.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Pong.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Pong();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.nonce = value;
                                else
                                    delete message.nonce;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Pong.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Pong;
            })();
    
            v1.HistoryResult = (function() {
    
                var HistoryResult = function (properties) {
                    this.publications = [];
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                HistoryResult.prototype.publications = $util.emptyArray;
                HistoryResult.prototype.nextCursor = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                HistoryResult.create = function(properties) {
                    return new HistoryResult(properties);
                };
    
                HistoryResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.publications != null && message.publications.length)
                        for (var i = 0; i < message.publications.length; ++i)
                            $root.switchboard.v1.Publication.encode(message.publications[i], writer.uint32(10).fork(), _depth + 1).ldelim();
                    if (message.nextCursor != null && $Object.hasOwnProperty.call(message, "nextCursor") && (typeof message.nextCursor === "object" ? message.nextCursor.low || message.nextCursor.high : message.nextCursor !== 0))
                        writer.uint32(16).uint64(message.nextCursor);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                HistoryResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                HistoryResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.HistoryResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.publications && message.publications.length))
                                    message.publications = [];
                                message.publications.push($root.switchboard.v1.Publication.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.nextCursor = value;
                                else
                                    delete message.nextCursor;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                HistoryResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return HistoryResult;
            })();
    
            v1.PresenceResult = (function() {
    
                var PresenceResult = function (properties) {
                    this.onlineUserIds = [];
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                PresenceResult.prototype.onlineUserIds = $util.emptyArray;
    
                PresenceResult.create = function(properties) {
                    return new PresenceResult(properties);
                };
    
                PresenceResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.onlineUserIds != null && message.onlineUserIds.length)
                        for (var i = 0; i < message.onlineUserIds.length; ++i)
                            writer.uint32(10).string(message.onlineUserIds[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                PresenceResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                PresenceResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.PresenceResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.onlineUserIds && message.onlineUserIds.length))
                                    message.onlineUserIds = [];
                                message.onlineUserIds.push(reader.stringVerify());
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                PresenceResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return PresenceResult;
            })();
    
            v1.ReadResult = (function() {
    
                var ReadResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ReadResult.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                ReadResult.create = function(properties) {
                    return new ReadResult(properties);
                };
    
                ReadResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(8).uint64(message.seq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ReadResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ReadResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ReadResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ReadResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ReadResult;
            })();
    
            v1.TypingResult = (function() {
    
                var TypingResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                TypingResult.create = function(properties) {
                    return new TypingResult(properties);
                };
    
                TypingResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                TypingResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                TypingResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.TypingResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        reader.skipType(tag & 7, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                TypingResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return TypingResult;
            })();
    
            v1.RefreshResult = (function() {
    
                var RefreshResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                RefreshResult.prototype.tokenExpiresAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                RefreshResult.create = function(properties) {
                    return new RefreshResult(properties);
                };
    
                RefreshResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.tokenExpiresAtMs != null && $Object.hasOwnProperty.call(message, "tokenExpiresAtMs") && (typeof message.tokenExpiresAtMs === "object" ? message.tokenExpiresAtMs.low || message.tokenExpiresAtMs.high : message.tokenExpiresAtMs !== 0))
                        writer.uint32(8).uint64(message.tokenExpiresAtMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                RefreshResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                RefreshResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.RefreshResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.tokenExpiresAtMs = value;
                                else
                                    delete message.tokenExpiresAtMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                RefreshResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return RefreshResult;
            })();
    
            v1.Publication = (function() {
    
                var Publication = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Publication.prototype.channel = "";
                Publication.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                Publication.prototype.senderId = "";
                Publication.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                Publication.prototype.payload = $util.newBuffer([]);
                Publication.prototype.messageId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                Publication.prototype.clientMsgId = "";
    
                Publication.create = function(properties) {
                    return new Publication(properties);
                };
    
                Publication.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(16).uint64(message.seq);
                    if (message.senderId != null && $Object.hasOwnProperty.call(message, "senderId") && message.senderId !== "")
                        writer.uint32(26).string(message.senderId);
                    if (message.timestampMs != null && $Object.hasOwnProperty.call(message, "timestampMs") && (typeof message.timestampMs === "object" ? message.timestampMs.low || message.timestampMs.high : message.timestampMs !== 0))
                        writer.uint32(32).uint64(message.timestampMs);
                    if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                        writer.uint32(42).bytes(message.payload);
                    if (message.messageId != null && $Object.hasOwnProperty.call(message, "messageId") && (typeof message.messageId === "object" ? message.messageId.low || message.messageId.high : message.messageId !== 0))
                        writer.uint32(48).uint64(message.messageId);
                    if (message.clientMsgId != null && $Object.hasOwnProperty.call(message, "clientMsgId") && message.clientMsgId !== "")
                        writer.uint32(58).string(message.clientMsgId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Publication.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Publication.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Publication();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.senderId = value;
                                else
                                    delete message.senderId;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.timestampMs = value;
                                else
                                    delete message.timestampMs;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.payload = value;
                                else
                                    delete message.payload;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.messageId = value;
                                else
                                    delete message.messageId;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.clientMsgId = value;
                                else
                                    delete message.clientMsgId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Publication.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Publication;
            })();
    
            v1.Disconnect = (function() {
    
                var Disconnect = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Disconnect.prototype.code = 0;
                Disconnect.prototype.reason = "";
                Disconnect.prototype.reconnect = false;
                Disconnect.prototype.reconnectAfterMs = 0;
                Disconnect.prototype.sessionId = "";
    
                Disconnect.create = function(properties) {
                    return new Disconnect(properties);
                };
    
                Disconnect.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(8).uint32(message.code);
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(18).string(message.reason);
                    if (message.reconnect != null && $Object.hasOwnProperty.call(message, "reconnect") && message.reconnect !== false)
                        writer.uint32(24).bool(message.reconnect);
                    if (message.reconnectAfterMs != null && $Object.hasOwnProperty.call(message, "reconnectAfterMs") && message.reconnectAfterMs !== 0)
                        writer.uint32(32).uint32(message.reconnectAfterMs);
                    if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                        writer.uint32(42).string(message.sessionId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Disconnect.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Disconnect.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Disconnect();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.reconnect = value;
                                else
                                    delete message.reconnect;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.reconnectAfterMs = value;
                                else
                                    delete message.reconnectAfterMs;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.sessionId = value;
                                else
                                    delete message.sessionId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Disconnect.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Disconnect;
            })();
    
            v1.PresenceChange = (function() {
    
                var PresenceChange = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                PresenceChange.prototype.userId = "";
                PresenceChange.prototype.online = false;
                PresenceChange.prototype.channel = "";
    
                PresenceChange.create = function(properties) {
                    return new PresenceChange(properties);
                };
    
                PresenceChange.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId") && message.userId !== "")
                        writer.uint32(10).string(message.userId);
                    if (message.online != null && $Object.hasOwnProperty.call(message, "online") && message.online !== false)
                        writer.uint32(16).bool(message.online);
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(26).string(message.channel);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                PresenceChange.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                PresenceChange.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.PresenceChange();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.userId = value;
                                else
                                    delete message.userId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.online = value;
                                else
                                    delete message.online;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                PresenceChange.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return PresenceChange;
            })();
    
            v1.PresenceChanges = (function() {
    
                var PresenceChanges = function (properties) {
                    this.changes = [];
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                PresenceChanges.prototype.channel = "";
                PresenceChanges.prototype.changes = $util.emptyArray;
    
                PresenceChanges.create = function(properties) {
                    return new PresenceChanges(properties);
                };
    
                PresenceChanges.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.changes != null && message.changes.length)
                        for (var i = 0; i < message.changes.length; ++i)
                            $root.switchboard.v1.PresenceChange.encode(message.changes[i], writer.uint32(18).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                PresenceChanges.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                PresenceChanges.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.PresenceChanges();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.changes && message.changes.length))
                                    message.changes = [];
                                message.changes.push($root.switchboard.v1.PresenceChange.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                PresenceChanges.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return PresenceChanges;
            })();
    
            v1.ReadReceipt = (function() {
    
                var ReadReceipt = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ReadReceipt.prototype.channel = "";
                ReadReceipt.prototype.userId = "";
                ReadReceipt.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                ReadReceipt.create = function(properties) {
                    return new ReadReceipt(properties);
                };
    
                ReadReceipt.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId") && message.userId !== "")
                        writer.uint32(18).string(message.userId);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(24).uint64(message.seq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ReadReceipt.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ReadReceipt.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ReadReceipt();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.userId = value;
                                else
                                    delete message.userId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ReadReceipt.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ReadReceipt;
            })();
    
            v1.TypingEvent = (function() {
    
                var TypingEvent = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                TypingEvent.prototype.channel = "";
                TypingEvent.prototype.userId = "";
    
                TypingEvent.create = function(properties) {
                    return new TypingEvent(properties);
                };
    
                TypingEvent.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.userId != null && $Object.hasOwnProperty.call(message, "userId") && message.userId !== "")
                        writer.uint32(18).string(message.userId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                TypingEvent.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                TypingEvent.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.TypingEvent();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.userId = value;
                                else
                                    delete message.userId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                TypingEvent.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return TypingEvent;
            })();
    
            v1.MayHaveMissed = (function() {
    
                var MayHaveMissed = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                MayHaveMissed.prototype.channel = "";
                MayHaveMissed.prototype.sinceSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
                MayHaveMissed.prototype.reason = "";
    
                MayHaveMissed.create = function(properties) {
                    return new MayHaveMissed(properties);
                };
    
                MayHaveMissed.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.sinceSeq != null && $Object.hasOwnProperty.call(message, "sinceSeq") && (typeof message.sinceSeq === "object" ? message.sinceSeq.low || message.sinceSeq.high : message.sinceSeq !== 0))
                        writer.uint32(16).uint64(message.sinceSeq);
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(26).string(message.reason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                MayHaveMissed.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                MayHaveMissed.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.MayHaveMissed();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.sinceSeq = value;
                                else
                                    delete message.sinceSeq;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                MayHaveMissed.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return MayHaveMissed;
            })();
    
            v1.Subscribed = (function() {
    
                var Subscribed = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Subscribed.prototype.channel = "";
                Subscribed.prototype.lastSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
    
                Subscribed.create = function(properties) {
                    return new Subscribed(properties);
                };
    
                Subscribed.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.lastSeq != null && $Object.hasOwnProperty.call(message, "lastSeq") && (typeof message.lastSeq === "object" ? message.lastSeq.low || message.lastSeq.high : message.lastSeq !== 0))
                        writer.uint32(16).uint64(message.lastSeq);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Subscribed.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Subscribed.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Subscribed();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.lastSeq = value;
                                else
                                    delete message.lastSeq;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Subscribed.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Subscribed;
            })();
    
            v1.Unsubscribed = (function() {
    
                var Unsubscribed = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                Unsubscribed.prototype.channel = "";
                Unsubscribed.prototype.code = 0;
    
                Unsubscribed.create = function(properties) {
                    return new Unsubscribed(properties);
                };
    
                Unsubscribed.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channel != null && $Object.hasOwnProperty.call(message, "channel") && message.channel !== "")
                        writer.uint32(10).string(message.channel);
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(16).uint32(message.code);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                Unsubscribed.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                Unsubscribed.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.Unsubscribed();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.channel = value;
                                else
                                    delete message.channel;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                Unsubscribed.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return Unsubscribed;
            })();
    
            v1.ApiPublish = (function() {
    
                var ApiPublish = function (properties) {
                    this.channels = [];
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ApiPublish.prototype.channels = $util.emptyArray;
                ApiPublish.prototype.payload = $util.newBuffer([]);
    
                ApiPublish.create = function(properties) {
                    return new ApiPublish(properties);
                };
    
                ApiPublish.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channels != null && message.channels.length)
                        for (var i = 0; i < message.channels.length; ++i)
                            writer.uint32(10).string(message.channels[i]);
                    if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                        writer.uint32(18).bytes(message.payload);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ApiPublish.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ApiPublish.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ApiPublish();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.channels && message.channels.length))
                                    message.channels = [];
                                message.channels.push(reader.stringVerify());
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.payload = value;
                                else
                                    delete message.payload;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ApiPublish.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ApiPublish;
            })();
    
            v1.ApiPublishResult = (function() {
    
                var ApiPublishResult = function (properties) {
                    if (properties)
                        for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };
    
                ApiPublishResult.prototype.channels = 0;
                ApiPublishResult.prototype.localRecipients = 0;
    
                ApiPublishResult.create = function(properties) {
                    return new ApiPublishResult(properties);
                };
    
                ApiPublishResult.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.channels != null && $Object.hasOwnProperty.call(message, "channels") && message.channels !== 0)
                        writer.uint32(8).uint32(message.channels);
                    if (message.localRecipients != null && $Object.hasOwnProperty.call(message, "localRecipients") && message.localRecipients !== 0)
                        writer.uint32(16).uint32(message.localRecipients);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (var i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };
    
                ApiPublishResult.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };
    
                ApiPublishResult.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.switchboard.v1.ApiPublishResult();
                    while (reader.pos < end) {
                        var start = reader.pos;
                        var tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        var wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.channels = value;
                                else
                                    delete message.channels;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.localRecipients = value;
                                else
                                    delete message.localRecipients;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };
    
                ApiPublishResult.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };
    
                return ApiPublishResult;
            })();
    
            return v1;
        })();
    
        return switchboard;
    })();

    return $root;
})(protobuf);
