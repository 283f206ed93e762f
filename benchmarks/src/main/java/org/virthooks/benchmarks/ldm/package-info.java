/** JMH benchmarks of the LDoms adapter: document decoding and events through the simulator. */
package org.virthooks.benchmarks.ldm;
