package io.streembit.protocol.feed;

/**
 * The outcome of offering a feed entry to a {@link FeedChain}. A broken link is not a step but
 * a FORK {@link io.streembit.protocol.ProtocolException}: it is proof of misbehaviour, whereas
 * a gap only means entries are still missing.
 */
public sealed interface ChainStep permits ChainStep.Linked, ChainStep.Gap, ChainStep.Stale {

    /** The entry extends the chain; {@code chain} is the state after it. */
    record Linked(FeedChain chain) implements ChainStep {}

    /**
     * Entries {@code expected} to {@code got - 1} are missing: the entry cannot be linked yet.
     * Fetch the missing ones (or raise an alert); never skip them silently.
     */
    record Gap(long expected, long got) implements ChainStep {}

    /** An entry the chain already has (the same bytes as the last one, or an older one): nothing to do. */
    record Stale(long last, long got) implements ChainStep {}
}
