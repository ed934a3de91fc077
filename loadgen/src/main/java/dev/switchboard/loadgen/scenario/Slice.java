package dev.switchboard.loadgen.scenario;

/**
 * The share of a run that one process does: worker {@code index} of
 * {@code count} takes a contiguous range of every global index space
 * (connections, publishers) and {@code 1/count} of every rate. A run in one
 * process is slice 0 of 1.
 */
public record Slice(int index, int count) {
    public static final Slice WHOLE = new Slice(0, 1);

    public Slice {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("slice " + index + " of " + count);
        }
    }

    /** First index of this slice in {@code [0, total)}. */
    public int from(int total) {
        return (int) ((long) total * index / count);
    }

    /** End (exclusive) of this slice in {@code [0, total)}. */
    public int to(int total) {
        return (int) ((long) total * (index + 1) / count);
    }

    public int size(int total) {
        return to(total) - from(total);
    }

    public double share(double rate) {
        return rate / count;
    }

    public boolean isWorker() {
        return count > 1;
    }
}
