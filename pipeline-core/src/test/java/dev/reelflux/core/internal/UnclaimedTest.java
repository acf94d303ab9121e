package dev.reelflux.core.internal;

import dev.reelflux.core.Releasable;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class UnclaimedTest {

    private static final class Item implements Releasable {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void aClaimedItemIsTheClaimersAndNeverClosedHere() {
        Unclaimed<Item> unclaimed = new Unclaimed<>();
        Item item = new Item();

        assertThat(unclaimed.hold(item)).isTrue();
        assertThat(unclaimed.claim(item)).isTrue();
        unclaimed.releaseAll();

        assertThat(item.closes).hasValue(0);
    }

    @Test
    void theEndClosesWhatNobodyClaimedOnceAndLaterClaimsFail() {
        Unclaimed<Item> unclaimed = new Unclaimed<>();
        Item item = new Item();
        unclaimed.hold(item);

        unclaimed.releaseAll();

        assertThat(item.closes).hasValue(1);
        assertThat(unclaimed.claim(item)).isFalse();
        unclaimed.releaseAll();
        assertThat(item.closes).hasValue(1);
    }

    @Test
    void anItemHeldAfterTheEndIsClosedAtOnce() {
        Unclaimed<Item> unclaimed = new Unclaimed<>();
        unclaimed.releaseAll();
        Item late = new Item();

        assertThat(unclaimed.hold(late)).isFalse();
        assertThat(late.closes).hasValue(1);
        assertThat(unclaimed.claim(late)).isFalse();
    }
}
