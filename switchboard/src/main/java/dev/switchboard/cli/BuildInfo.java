package dev.switchboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit this launcher was built from, read from {@code build.properties}, which Maven
 * fills in at build time: so the distribution and the container images know them without a {@code .git}.
 *
 * @param version  the Maven version shared by every artifact, e.g. {@code 0.2.0}
 * @param commit   the abbreviated git commit, or {@code unknown} when it was built outside a git checkout
 * @param modified whether the checkout had uncommitted changes when it was built
 */
public record BuildInfo(String version, String commit, boolean modified) {
    private static final String RESOURCE = "build.properties";

    /** The build of the classes on this class path. */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("commit")), "true".equals(p.getProperty("modified")));
    }

    /** A value Maven did not fill in (no git checkout, or classes compiled by an IDE) reads as unknown. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }

    /** {@code switchboard 0.2.0 (commit 1a2b3c4d5e)}, with {@code , modified} for a build of uncommitted changes. */
    @Override
    public String toString() {
        return "switchboard " + version + " (commit " + commit + (modified ? ", modified" : "") + ")";
    }
}
