package dev.switchboard.loadgen.run;

/**
 * The line protocol between a parent and its worker processes. Workers write
 * to stdout (their logs go to stderr), the parent writes to their stdin:
 * <pre>
 *   worker → parent   @sbw interval COUNTERS LATENCY HANDSHAKE   once a second (histograms base64, see HistogramCodec)
 *   worker → parent   @sbw barrier PHASE                         waiting at a barrier
 *   worker → parent   @sbw result KEY MERGE VALUE                a scenario figure
 *   worker → parent   @sbw done                                  finished (after a last interval)
 *   parent → worker   go PHASE                                   every worker reached PHASE
 * </pre>
 */
final class WorkerLines {
    static final String PREFIX = "@sbw ";
    static final String INTERVAL = PREFIX + "interval ";
    static final String BARRIER = PREFIX + "barrier ";
    static final String RESULT = PREFIX + "result ";
    static final String DONE = PREFIX + "done";
    static final String GO = "go ";

    private WorkerLines() {
    }
}
