/**
 * Who holds a ring's roles, as the API reports it: {@link io.shmring.ringbuffer.liveness.PartyStatus}, one party
 * record judged alive, dead, attaching or free by the rules of docs/LAYOUT.md section 6. The records, their judge
 * and the heartbeat timer are internal ({@code io.shmring.ringbuffer.internal}).
 */
package io.shmring.ringbuffer.liveness;
