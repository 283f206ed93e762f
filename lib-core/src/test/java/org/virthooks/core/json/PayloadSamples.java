package org.virthooks.core.json;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.DomainPayload.Graphics;

/** One payload of every record, every optional field present: what the schema tests render. */
final class PayloadSamples {
  private PayloadSamples() {}

  static List<DomainPayload> all() {
    return List.of(
        new DomainPayload.AgentLifecycle(DomainPayload.AgentState.CONNECTED,
            DomainPayload.AgentReason.CHANNEL),
        new DomainPayload.BlockThreshold("vda[1]", Optional.of("/var/lib/x.qcow2"), 1 << 20, -1L),
        new DomainPayload.DiskChange(Optional.of("/a.iso"), Optional.of("/b.iso"),
            Optional.of("ide0-1-0"), DomainPayload.DiskChangeReason.MISSING_ON_START),
        new DomainPayload.TrayChange(Optional.of("ide0-1-0"), DomainPayload.TrayReason.OPEN),
        new Graphics(DomainPayload.GraphicsPhase.INITIALIZE,
            Optional.of(new Graphics.Address(DomainPayload.AddressFamily.IPV4,
                Optional.of("127.0.0.1"), Optional.of("5900"))),
            Optional.of(new Graphics.Address(DomainPayload.AddressFamily.IPV6,
                Optional.of("::1"), Optional.of("40001"))),
            Optional.of("vnc"), List.of(new Graphics.Identity("x509dname", "CN=a"),
                new Graphics.Identity("saslUsername", "fred"))),
        new DomainPayload.RtcChange(-3600),
        new DomainPayload.MetadataChange(DomainPayload.MetadataType.ELEMENT,
            Optional.of("http://example.org/x")),
        new DomainPayload.MemoryFailure(DomainPayload.MemoryFailureRecipient.GUEST,
            DomainPayload.MemoryFailureAction.INJECT,
            EnumSet.allOf(DomainPayload.MemoryFailureFlag.class)),
        new DomainPayload.NicMacChange(Optional.of("net0"), Optional.of("52:54:00:00:00:01"),
            Optional.of("52:54:00:00:00:02")));
  }
}
