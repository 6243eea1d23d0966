/**
 * Who is attached to a ring, and whether they still live: party records in the ring file (owner word,
 * tagged identity and heartbeat), the attach and release protocol over them, the judge that decides
 * alive or dead across pid namespaces and reboots, and the per-JVM timer that beats for every attached
 * end. docs/LAYOUT.md section 6 is the contract these classes implement. Used by the ring ends; not an
 * application API.
 */
package io.shmring.ringbuffer.liveness;
