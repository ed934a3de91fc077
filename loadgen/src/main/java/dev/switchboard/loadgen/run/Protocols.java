package dev.switchboard.loadgen.run;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.Target;
import dev.switchboard.loadgen.protocol.Protocol;
import dev.switchboard.loadgen.protocol.PusherProtocol;
import dev.switchboard.loadgen.protocol.SwitchboardProtocol;
import dev.switchboard.loadgen.protocol.UwsProtocol;
import java.time.Duration;

/** The protocol driver of a target. */
final class Protocols {
    private Protocols() {
    }

    static Protocol create(LoadgenOptions o, Target t) {
        return switch (t.protocol()) {
            // Tokens outlive the run (plus a margin), so no connection expires mid-run.
            case SWITCHBOARD -> new SwitchboardProtocol(t.url(), o.jwtSecret(), o.org(), o.timeout().plus(Duration.ofHours(1)));
            case PUSHER -> new PusherProtocol(t.url(), o.pusherApiUrl(), o.pusherAppId(), o.pusherSecret());
            case UWS -> new UwsProtocol(t.url());
        };
    }
}
