/**
 * Internal to shmring: not part of its public API and may change in any release without notice. Public entry points
 * are listed in README ("Use it in your project"); the byte layout these classes implement is docs/LAYOUT.md.
 */
package io.shmring.core.internal.stream;
