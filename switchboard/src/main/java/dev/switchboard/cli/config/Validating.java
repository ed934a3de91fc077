package dev.switchboard.cli.config;

/**
 * A server subcommand that checks its options without starting anything: it
 * builds what it would start with (the {@code *Options} objects, parsed URIs,
 * key files) and throws a {@code ParameterException} naming the option that is
 * wrong. The start and {@code config check} run the same checks.
 */
public interface Validating {
    /** Checks the parsed options; options left unset that the start requires are not this method's concern. */
    void validate();
}
