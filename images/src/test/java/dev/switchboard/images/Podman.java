package dev.switchboard.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line: a daemonless container engine, so the tests run the
 * images exactly as a user would after {@code podman load}.
 */
final class Podman {
    /**
     * runc under the cgroupfs manager works on hosts with hybrid cgroup v1/v2
     * mounts (where crun refuses) as well as on plain cgroup v2 hosts.
     */
    private static final List<String> ENGINE = List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs");
    /**
     * Podman's default ulimits (over a million files) exceed what a capped host
     * allows, and a container cannot raise its limits past the host's.
     */
    private static final List<String> LIMITS = List.of("--ulimit", "nofile=16384:16384", "--ulimit", "nproc=4096:4096");
    /** What deploy/k8s's securityContext asks for: read-only root, writable /tmp only, no capabilities, no privilege escalation. */
    private static final List<String> RESTRICTED = List.of("--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges");

    private Podman() {
    }

    /** Fails with what to install when podman or runc is missing. */
    static void requireInstalled() {
        for (String tool : List.of("podman", "runc")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                throw new IllegalStateException(tool + " is not installed: the container image tests run the images under podman "
                        + "(Debian: apt-get install podman runc; bin/test installs them when it runs as root)");
            }
        }
    }

    /** Loads a {@code docker save} archive (what Jib's buildTar writes); returns the image's name. */
    static String load(Path archive) {
        String out = run(List.of("load", "-q", "-i", archive.toString()));
        return out.lines().filter(l -> l.startsWith("Loaded image: ")).map(l -> l.substring("Loaded image: ".length()).trim())
                .findFirst().orElseThrow(() -> new IllegalStateException("podman load named no image: " + out));
    }

    /** Starts a detached container on the host's network; returns its id. */
    static String start(String name, String image, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host"));
        cmd.addAll(LIMITS);
        cmd.addAll(RESTRICTED);
        cmd.add(image);
        cmd.addAll(args);
        return run(cmd).trim();
    }

    /** Runs {@code command} in a throwaway container of {@code image} (in place of its entrypoint); returns its output. */
    static String runOnce(String image, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("run", "--rm", "--network", "host"));
        cmd.addAll(LIMITS);
        cmd.addAll(List.of("--entrypoint", command.get(0), image));
        cmd.addAll(command.subList(1, command.size()));
        return run(cmd);
    }

    /**
     * Runs {@code command} inside a running container, as Kubernetes runs an exec
     * hook; when the container stops meanwhile, the command is killed (137).
     */
    static Result exec(String container, List<String> command) {
        List<String> cmd = new ArrayList<>(ENGINE);
        cmd.addAll(List.of("exec", container));
        cmd.addAll(command);
        return execute(cmd);
    }

    record Result(int exitCode, String output) {
    }

    static String inspect(String imageOrContainer, String format) {
        return run(List.of("inspect", "--format", format, imageOrContainer)).trim();
    }

    static String logs(String container) {
        return run(List.of("logs", "--tail", "40", container));
    }

    /** Removes containers (running or not) and images, ignoring those already gone. */
    static void removeContainers(List<String> names) {
        if (!names.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f", "--ignore", "-t", "5"));
            cmd.addAll(names);
            run(cmd);
        }
    }

    static void removeImages(List<String> names) {
        if (!names.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rmi", "--ignore"));
            cmd.addAll(names);
            run(cmd);
        }
    }

    static String run(List<String> args) {
        List<String> cmd = new ArrayList<>(ENGINE);
        cmd.addAll(args);
        Result r = execute(cmd);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    private static Result execute(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run podman", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
