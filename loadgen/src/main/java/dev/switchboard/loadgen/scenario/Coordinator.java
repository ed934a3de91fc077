package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.LoadgenOptions;

/** What a scenario may do at a barrier, in the coordinating process. */
public record Coordinator(LoadgenOptions options, ServerProbe probe, Results results) {
}
