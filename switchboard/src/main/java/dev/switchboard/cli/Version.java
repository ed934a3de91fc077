package dev.switchboard.cli;

import picocli.CommandLine;

/** What {@code --version} prints, on the launcher and every subcommand: the build, then the JVM that runs it. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {BuildInfo.current().toString(), "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
