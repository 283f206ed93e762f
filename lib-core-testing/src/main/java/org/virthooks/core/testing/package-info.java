/**
 * Test support for users of virthooks: a {@link org.virthooks.core.testing.RecordingListener}
 * with waiting assertions, a {@link org.virthooks.core.testing.HookHarness} that calls hooks with
 * no hypervisor, and {@link org.virthooks.core.testing.TestEvents}. Needs no test framework.
 * In the artifact {@code virthooks-core-testing}, to depend on with test scope.
 */
package org.virthooks.core.testing;
