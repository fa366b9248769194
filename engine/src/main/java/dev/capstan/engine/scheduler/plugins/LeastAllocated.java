package dev.capstan.engine.scheduler.plugins;

/**
 * Prefers the emptiest node, spreading load (the default strategy): the free share,
 * {@code (allocatable - requested) * 100 / allocatable}, per resource; see {@link ResourceAllocation}.
 */
public final class LeastAllocated extends ResourceAllocation {

    @Override
    public String name() {
        return "NodeResourcesLeastAllocated";
    }

    @Override
    long share(long requested, long allocatable) {
        if (allocatable <= 0 || requested >= allocatable) {
            return 0;
        }
        return (allocatable - requested) * 100 / allocatable;
    }
}
