package dev.switchboard.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: from the jar's manifest, "dev" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"switchboard " + (v == null ? "dev" : v), "JVM " + Runtime.version()};
    }
}
