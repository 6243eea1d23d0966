package io.shmring.stress.soak;

import java.util.List;

/**
 * What a soak run counted: the controller's own figures and the consumer's verdict.
 *
 * @param seconds               wall time of the run, start of the first child to the verdict.
 * @param producers             producer processes running at any time.
 * @param seed                  seed of every random choice (kill moments, victims, message sizes, pauses).
 * @param messages              messages the consumer received.
 * @param incarnations          producer incarnations started.
 * @param kills                 SIGKILLs sent.
 * @param killsInClaim          kills that found the victim inside a paused claim (open claim set, not recorded).
 * @param killsBeforeRegistered kills that found the victim not yet registered on the ring.
 * @param heldKills             kills of a victim that held a claim open for them (each leaves a claim to recover).
 * @param recoveries            claims the consumer recovered ({@code MpscConsumer.recoveredClaims()}).
 * @param unrecordedCommits     killed incarnations whose last message was committed but not recorded.
 * @param lost                  committed messages never delivered.
 * @param duplicated            messages delivered twice.
 * @param violations            every fault the consumer counted (0 = exactly once, in order).
 * @param fullWaits             times a producer found the ring full and slept in the timed offer.
 * @param pausedClaims          claims held open across a pause.
 * @param consumerSleeps        times the consumer slept on the not-empty wake line.
 * @param failures              why the run failed; empty if it passed.
 */
public record SoakReport(
    double seconds,
    int producers,
    long seed,
    long messages,
    long incarnations,
    long kills,
    long killsInClaim,
    long killsBeforeRegistered,
    long heldKills,
    long recoveries,
    long unrecordedCommits,
    long lost,
    long duplicated,
    long violations,
    long fullWaits,
    long pausedClaims,
    long consumerSleeps,
    List<String> failures)
{
    /**
     * @return true if the consumer proved exactly-once, in-order delivery and every cross-check held.
     */
    public boolean passed()
    {
        return failures.isEmpty();
    }

    /**
     * @return the one line of totals the controller prints last.
     */
    public String line()
    {
        return String.format("SOAK-TOTALS seconds=%.1f producers=%d seed=%d messages=%d incarnations=%d kills=%d " +
                "killsInClaim=%d killsBeforeRegistered=%d heldKills=%d recoveries=%d unrecordedCommits=%d lost=%d duplicated=%d " +
                "violations=%d fullWaits=%d pausedClaims=%d consumerSleeps=%d result=%s",
            seconds, producers, seed, messages, incarnations, kills, killsInClaim, killsBeforeRegistered, heldKills, recoveries,
            unrecordedCommits, lost, duplicated, violations, fullWaits, pausedClaims, consumerSleeps,
            passed() ? "PASS" : "FAIL");
    }
}
