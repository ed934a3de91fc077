package dev.switchboard.loadgen.run;

/**
 * The line protocol between a parent and its worker processes. Workers write
 * to stdout (their logs go to stderr), the parent writes to their stdin:
 * <pre>
 *   worker → parent   @sbw interval COUNTERS LATENCY HANDSHAKE   once a second (histograms base64, see HistogramCodec)
 *   worker → parent   @sbw barrier PHASE                         waiting at a barrier
 *   worker → parent   @sbw drain EXPECTED DELIVERED              done publishing, draining: deliveries its publications
 *                                                               owe (all subscribers of the run) and its subscribers'
 *                                                               deliveries so far, every 50 ms until "go drain"
 *   worker → parent   @sbw result KEY MERGE VALUE                a scenario figure
 *   worker → parent   @sbw done                                  finished (after a last interval)
 *   parent → worker   go PHASE                                   every worker reached PHASE
 *   parent → worker   go drain                                   the run delivered all it owes, or the drain passed
 * </pre>
 */
final class WorkerLines {
    static final String PREFIX = "@sbw ";
    static final String INTERVAL = PREFIX + "interval ";
    static final String BARRIER = PREFIX + "barrier ";
    static final String DRAIN = PREFIX + "drain ";
    static final String DRAIN_PHASE = "drain";
    static final String RESULT = PREFIX + "result ";
    static final String DONE = PREFIX + "done";
    static final String GO = "go ";

    private WorkerLines() {
    }
}
