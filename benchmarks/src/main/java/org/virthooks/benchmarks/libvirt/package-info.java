/**
 * Measurements of the libvirt adapter: event delivery latency against a raw libvirt-java
 * listener, and the cost of a whole hook-script call in each mode.
 */
package org.virthooks.benchmarks.libvirt;
