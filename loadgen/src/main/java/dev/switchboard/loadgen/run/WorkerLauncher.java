package dev.switchboard.loadgen.run;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command lines of worker processes: the same Java and classpath as the
 * parent (given by the caller, which reads them from the running JVM at the
 * top), {@link WorkerMain}, and every option spelled out, so a worker never
 * depends on the parent's scenario file or defaults. Secrets travel in the
 * environment, not on the command line where {@code ps} shows them.
 */
public final class WorkerLauncher {
    /** The launcher's names, so that one environment serves the servers, loadgen and its workers. */
    public static final String ENV_JWT_SECRET = "SWITCHBOARD_JWT_SECRET";
    public static final String ENV_API_KEY = "SWITCHBOARD_API_KEYS";
    public static final String ENV_PUSHER_SECRET = "SWITCHBOARD_PUSHER_SECRET";

    private final Path java;
    private final String classpath;
    private final List<String> jvmOptions;

    public WorkerLauncher(Path java, String classpath, List<String> jvmOptions) {
        this.java = java;
        this.classpath = classpath;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    List<List<String>> commands(LoadgenOptions o, Target target, int workers) {
        List<List<String>> out = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(WorkerMain.class.getName());
            cmd.addAll(args(o, target, w, workers));
            out.add(cmd);
        }
        return out;
    }

    /** The options of worker {@code w} as command-line arguments (secrets excluded: see {@link #environment}). */
    public static List<String> args(LoadgenOptions o, Target target, int w, int workers) {
        List<String> a = new ArrayList<>();
        opt(a, "scenario", o.scenario().id());
        opt(a, "target", target.toString());
        if (o.publishTarget() != null) {
            opt(a, "publish-target", o.publishTarget());
        }
        opt(a, "connections", o.connections());
        opt(a, "ramp-rate", o.rampRate());
        opt(a, "connect-concurrency", o.connectConcurrency());
        opt(a, "rounds", o.rounds());
        opt(a, "duration", o.duration().toMillis() + "ms");
        opt(a, "warmup", o.warmup().toMillis() + "ms");
        opt(a, "drain", o.drain().toMillis() + "ms");
        opt(a, "timeout", o.timeout().toMillis() + "ms");
        opt(a, "handshake-timeout", o.handshakeTimeout().toMillis() + "ms");
        opt(a, "channels", o.channels());
        opt(a, "publishers", o.publishers());
        opt(a, "rate", o.rate());
        opt(a, "payload-size", o.payloadSize());
        opt(a, "memberships", o.memberships());
        opt(a, "group-size", o.groupSize());
        if (!o.sourceAddresses().isEmpty()) {
            opt(a, "source-addresses", o.sourceAddresses().stream().map(x -> x.getHostAddress()).collect(Collectors.joining(",")));
        }
        opt(a, "io-threads", o.eventLoops());
        opt(a, "org", o.org());
        opt(a, "api-url", o.apiUrl());
        opt(a, "chat-api-url", o.chatApiUrl());
        if (o.pusherAppId() != null) {
            opt(a, "pusher-app-id", o.pusherAppId());
        }
        if (o.pusherApiUrl() != null) {
            opt(a, "pusher-api-url", o.pusherApiUrl());
        }
        opt(a, "worker-index", w);
        opt(a, "worker-count", workers);
        return a;
    }

    Map<String, String> environment(LoadgenOptions o) {
        Map<String, String> env = new HashMap<>();
        if (o.jwtSecret() != null) {
            env.put(ENV_JWT_SECRET, o.jwtSecret());
        }
        if (o.apiKey() != null) {
            env.put(ENV_API_KEY, o.apiKey());
        }
        if (o.pusherSecret() != null) {
            env.put(ENV_PUSHER_SECRET, o.pusherSecret());
        }
        return env;
    }

    private static void opt(List<String> a, String name, Object value) {
        a.add("--" + name + "=" + value);
    }
}
