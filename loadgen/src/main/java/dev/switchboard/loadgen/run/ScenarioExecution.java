package dev.switchboard.loadgen.run;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.Target;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.ClientResources;
import dev.switchboard.loadgen.protocol.Protocol;
import dev.switchboard.loadgen.scenario.DrainGate;
import dev.switchboard.loadgen.scenario.Results;
import dev.switchboard.loadgen.scenario.Scenario;
import dev.switchboard.loadgen.scenario.ScenarioContext;
import dev.switchboard.loadgen.scenario.Slice;
import java.util.function.Consumer;

/**
 * Runs one scenario's slice in this process, against one target: owns the
 * event loops and the protocol driver for the duration, and closes them.
 * Used by a single-process run and by each worker process.
 */
final class ScenarioExecution {
    private ScenarioExecution() {
    }

    static void run(LoadgenOptions o, Target target, Scenario scenario, Slice slice, LoadStats stats,
                    Consumer<String> barrier, DrainGate drainGate, Results results) throws Exception {
        long deadline = System.nanoTime() + o.timeout().toNanos();
        Target publishTo = o.publishTarget() == null ? target : new Target(target.protocol(), o.publishTarget());
        try (ClientResources resources = new ClientResources(o.eventLoops());
             Protocol protocol = Protocols.create(o, target);
             Protocol publishProtocol = Protocols.create(o, publishTo)) {
            ScenarioContext ctx = new ScenarioContext(o, slice, protocol, publishProtocol, resources, stats, barrier,
                    drainGate, results, deadline);
            scenario.run(ctx);
        }
    }
}
