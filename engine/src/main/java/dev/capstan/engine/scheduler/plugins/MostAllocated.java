package dev.capstan.engine.scheduler.plugins;

/**
 * Bin-packing: prefers the fullest node that still fits, the mean over cpu and memory of
 * {@code requested * 100 / allocatable} with this pod included (request-less pods count as
 * {@link ResourceAllocation}'s defaults), so whole nodes stay free for large pods or scale-down.
 */
public final class MostAllocated extends ResourceAllocation {

    @Override
    public String name() {
        return "NodeResourcesMostAllocated";
    }

    @Override
    long share(long requested, long allocatable) {
        if (allocatable <= 0) {
            return 0;
        }
        return Math.min(requested, allocatable) * 100 / allocatable;
    }
}
