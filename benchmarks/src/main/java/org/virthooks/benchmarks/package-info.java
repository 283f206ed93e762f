/** JMH benchmarks and measurement harnesses; see the README's performance table. */
package org.virthooks.benchmarks;
