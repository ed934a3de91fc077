package dev.switchboard.loadgen.scenario;

/**
 * A load scenario. {@link #run} does this process's slice of the work and may
 * block (it runs on the scenario thread, never an event loop). When the run
 * spans several worker processes, each runs the same scenario on its slice;
 * {@link ScenarioContext#barrier} lines them up, and {@link #atBarrier} runs
 * once, in the coordinating process, when all have arrived (where the
 * server's memory is sampled, for example).
 */
public interface Scenario {
    void run(ScenarioContext ctx) throws Exception;

    /** Runs once per phase in the coordinating process, with every worker waiting at the barrier. */
    default void atBarrier(String phase, Coordinator coordinator) {
    }

    /** Derives figures from the merged results of all processes (rates, per-connection memory). */
    default void finish(Results merged) {
    }
}
