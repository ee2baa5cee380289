package dev.parley.relay.negotiation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OfferStateTest {

    private final OfferState offers = new OfferState();

    @Test
    void nothingIsDueAtFirst() {
        assertThat(offers.needsOffer()).isFalse();
        assertThat(offers.version()).isZero();
        assertThat(offers.isAwaitingAnswer(0)).isFalse();
    }

    @Test
    void aChangeMakesAnOfferDueAndEachOfferGetsTheNextVersion() {
        offers.requireOffer();
        assertThat(offers.needsOffer()).isTrue();

        assertThat(offers.beginOffer()).isEqualTo(1);
        assertThat(offers.version()).isEqualTo(1);
        assertThat(offers.needsOffer()).isFalse();
        assertThat(offers.answerApplied()).isFalse();

        offers.requireOffer();
        assertThat(offers.beginOffer()).isEqualTo(2);
    }

    @Test
    void onlyTheLatestOfferIsAwaitingItsAnswer() {
        offers.requireOffer();
        int version = offers.beginOffer();

        assertThat(offers.isAwaitingAnswer(version)).isTrue();
        assertThat(offers.isAwaitingAnswer(version + 1)).isFalse();
        assertThat(offers.isAwaitingAnswer(version - 1)).isFalse();

        offers.answerApplied();
        assertThat(offers.isAwaitingAnswer(version)).as("answered already: a second answer is stale").isFalse();
    }

    @Test
    void oneOfferAtATime() {
        offers.requireOffer();
        offers.beginOffer();

        offers.requireOffer();
        offers.requireOffer();

        assertThat(offers.needsOffer()).as("an offer is still waiting for its answer").isFalse();
        assertThat(offers.isAwaitingAnswer(1)).isTrue();
    }

    @Test
    void aChangeWhileWaitingMakesTheNextOfferDueOnceTheAnswerIsApplied() {
        offers.requireOffer();
        offers.beginOffer();
        offers.requireOffer();

        assertThat(offers.answerApplied()).isTrue();

        assertThat(offers.needsOffer()).isTrue();
        assertThat(offers.beginOffer()).isEqualTo(2);
        assertThat(offers.answerApplied()).isFalse();
        assertThat(offers.needsOffer()).isFalse();
    }
}
