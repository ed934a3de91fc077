package dev.switchboard.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One three-node {@link CassandraRing} per test JVM, started by the first test
 * class that asks for it (a {@code CassandraRing} parameter of a constructor,
 * lifecycle or test method) and stopped when the JVM's tests end, so that every
 * class of a module shares the ring's start-up. A test that kills nodes starts
 * them again before it ends.
 */
public final class SharedCassandraRing implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCassandraRing.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CassandraRing.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("ring", key -> new Holder(new CassandraRing(3).start()), Holder.class).ring;
    }

    /** Closed by JUnit with the root context, after the last test of the JVM. */
    private record Holder(CassandraRing ring) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            ring.close();
        }
    }
}
