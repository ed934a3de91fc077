package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.ScenarioName;

/** The scenario of a name. */
public final class Scenarios {
    private Scenarios() {
    }

    public static Scenario create(ScenarioName name) {
        return switch (name) {
            case IDLE -> new IdleScenario();
            case FANOUT -> new FanoutScenario();
            case STORM -> new StormScenario();
            case CHAT -> new ChatScenario();
            case ROUNDS -> new RoundsScenario();
        };
    }
}
